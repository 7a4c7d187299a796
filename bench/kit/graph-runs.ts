import { dashboardQuery, meQuery } from './dashboard-operations.ts';
import type { LoadPlan } from './load-process.ts';
import { combineRuns, measureRun, verifyWorkload, type RunResult, type RunTiming } from './measured-run.ts';
import type { PreparedCheckout } from './prepared-checkout.ts';
import { productionEnv, startProductionGraph, type ProductionGraph } from './production-graph.ts';
import { progress } from './run-benchmark.ts';

/** What one checkout's graphs measured; each run is there once measured. */
export interface CheckoutResults {
  /** The dashboard mix, GATEWAY_CACHE=on and off. */
  mixOn?: RunResult;
  mixOff?: RunResult;
  /** The dashboard query alone (cache off). */
  dashboard?: RunResult;
  /** `{ me { id } }` through the gateway and straight to identity (cache off). */
  meGateway?: RunResult;
  meDirect?: RunResult;
  /** The dashboard query alone (cache off) with metrics and tracing off, and with both on (see observability-runs.ts). */
  observabilityOff?: RunResult;
  observabilityOn?: RunResult;
}

export interface GraphRunSettings extends RunTiming {
  /** Connections of the mix. */
  mixConnections: number;
  /** Connections of the single-query runs. */
  queryConnections: number;
  cpuProfile: boolean;
  runDir: string;
}

/**
 * Starts the checkout's graph with GATEWAY_CACHE=`cache` (`name` names it in the report,
 * its log and its profile), measures what that setting is for (cache on: the mix; off:
 * the mix, the dashboard query alone, and `{ me { id } }` through the gateway and
 * direct), and stops it.
 * @returns the runs, and the CPU profiles the graph wrote if profiling.
 */
export async function measureGraph(
  prepared: PreparedCheckout,
  cache: 'on' | 'off',
  name: string,
  settings: GraphRunSettings,
  signal: AbortSignal,
): Promise<{ runs: CheckoutResults; profiles: string[] }> {
  progress(`${name}: starting the graph…`);
  const graph = await startProductionGraph(prepared.checkout, productionEnv({ ...prepared.setting, cache }), {
    name,
    runDir: settings.runDir,
    cpuProfile: settings.cpuProfile,
  });
  const runs: CheckoutResults = {};
  try {
    const measure = async (plan: Omit<LoadPlan, 'durationSeconds'>) => {
      await verifyWorkload(plan);
      return measureRun(plan, prepared.statements, settings, signal);
    };
    const plans = plansFor(prepared, graph, settings);
    if (cache === 'on') {
      runs.mixOn = await measure(plans.mix);
    } else {
      runs.mixOff = await measure(plans.mix);
      runs.dashboard = await measure(plans.dashboard);
      runs.meGateway = await measure(plans.meGateway);
      runs.meDirect = await measure(plans.meDirect);
    }
  } catch (error) {
    await graph.stop().catch(() => undefined);
    throw error;
  }
  return { runs, profiles: await graph.stop() };
}

/** Adds a round's runs to a checkout's results: each run combined with the earlier rounds' of it. */
export function addRound(results: CheckoutResults, round: CheckoutResults): void {
  for (const [key, run] of Object.entries(round) as [keyof CheckoutResults, RunResult][]) {
    const earlier = results[key];
    results[key] = earlier ? combineRuns([earlier, run]) : run;
  }
}

/** What each run of a checkout's graph sends, and where. */
export function plansFor(prepared: PreparedCheckout, graph: ProductionGraph, settings: GraphRunSettings) {
  const { world, dashboardViewer } = prepared;
  const me = world.users[0]!;
  const single = { connections: settings.queryConnections };
  return {
    mix: { url: graph.url, workload: { kind: 'mix', world }, connections: settings.mixConnections },
    dashboard: { url: graph.url, workload: { kind: 'query', name: 'dashboard query', query: dashboardQuery, user: dashboardViewer }, ...single },
    meGateway: { url: graph.url, workload: { kind: 'query', name: '{ me { id } } via gateway', query: meQuery, user: me }, ...single },
    meDirect: {
      url: graph.identityUrl,
      workload: {
        kind: 'signed',
        name: '{ me { id } } to identity',
        query: meQuery,
        userId: me.id,
        signingSecret: prepared.setting.secrets.GATEWAY_SIGNING_SECRET!,
      },
      ...single,
    },
  } satisfies Record<string, Omit<LoadPlan, 'durationSeconds'>>;
}
