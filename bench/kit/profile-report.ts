import { summariseProfile } from './cpu-profile.ts';
import { fixed, formatTable } from './table.ts';

/**
 * The functions with the most self time in each CPU profile a graph process wrote (its
 * main thread and any worker threads, busiest first); threads that were busy under 1% as
 * long as the busiest are only named.
 */
export async function profileReport(graphName: string, files: readonly string[], count = 15): Promise<string> {
  const summaries = await Promise.all(files.map(async (file) => ({ file, ...(await summariseProfile(file, count)) })));
  summaries.sort((a, b) => b.busyMs - a.busyMs);
  const busiest = summaries[0]?.busyMs ?? 0;
  const sections = summaries.map(({ file, busyMs, top }) => {
    // The profile covers the whole process: its start-up too, not only the measured runs.
    const heading = `CPU profile of ${graphName}: ${file} (busy ${fixed(busyMs / 1000, 1)} s, start-up included)`;
    if (busyMs < busiest / 100) return heading;
    const table = formatTable(
      [{ title: 'self ms', align: 'right' }, { title: 'self %', align: 'right' }, { title: 'function' }, { title: 'where' }],
      top.map((entry) => [fixed(entry.selfMs, 0), fixed(entry.share * 100, 1), entry.name, entry.location]),
    );
    return `${heading}, top ${count} functions by self time:\n${table}`;
  });
  return sections.join('\n\n');
}
