/**
 * The load process of load-process.ts: takes one LoadPlan from its parent, runs it with
 * autocannon, sends back the LoadReport and ends.
 */
import { FailureTally } from './failure-tally.ts';
import { runLoad } from './load.ts';
import type { LoadPlan, LoadReport } from './load-process.ts';
import { loadOf } from './workloads.ts';

process.once('message', (plan: LoadPlan) => {
  run(plan).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});

async function run(plan: LoadPlan): Promise<void> {
  const stop = new AbortController();
  // Ctrl-C reaches every process of the terminal's group: stop loading, and still report.
  process.on('SIGINT', () => stop.abort());
  const failures = new FailureTally();
  const target = { ...loadOf(plan.workload, plan.url), onFailure: (status: number, body: string) => failures.add(status, body) };
  const load = await runLoad(target, { durationSeconds: plan.durationSeconds, connections: plan.connections, signal: stop.signal });
  const report: LoadReport = { load, failures: failures.counts() };
  // After a Ctrl-C the parent may be gone already, with nobody to report to.
  if (!process.connected) return;
  // Disconnecting lets the process end once the report is out.
  process.send!(report, () => {
    if (process.connected) process.disconnect();
  });
}
