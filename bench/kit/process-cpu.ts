import { readFileSync } from 'node:fs';

/**
 * Clock ticks a second, in which /proc reports CPU time: USER_HZ, 100 on every Linux
 * architecture Node runs on (Node does not expose sysconf(_SC_CLK_TCK)).
 */
const ticksPerSecond = 100;

/** The CPU time process `pid` has used so far (user + system, all its threads), in seconds, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields from the 3rd (state) on, after the command name, which may hold spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  // utime and stime are fields 14 and 15.
  return (Number(fields[14 - 3]) + Number(fields[15 - 3])) / ticksPerSecond;
}
