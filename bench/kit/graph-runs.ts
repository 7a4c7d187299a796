import { dashboardQuery, meQuery } from './dashboard-operations.ts';
import type { LoadPlan } from './load-process.ts';
import { measureRun, verifyWorkload, type RunResult, type RunTiming } from './measured-run.ts';
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
 * Starts the checkout's graph with GATEWAY_CACHE=`cache`, measures what that setting is
 * for into `results` (cache on: the mix; off: the mix, the dashboard query alone, and
 * `{ me { id } }` through the gateway and direct), and stops it.
 * @returns the CPU profiles it wrote, if profiling.
 */
export async function measureGraph(
  prepared: PreparedCheckout,
  cache: 'on' | 'off',
  settings: GraphRunSettings,
  results: CheckoutResults,
  signal: AbortSignal,
): Promise<string[]> {
  const name = `${prepared.checkout.label}, cache ${cache}`;
  progress(`${name}: starting the graph…`);
  const graph = await startProductionGraph(prepared.checkout, productionEnv({ ...prepared.setting, cache }), {
    name,
    runDir: settings.runDir,
    cpuProfile: settings.cpuProfile,
  });
  try {
    const measure = async (plan: Omit<LoadPlan, 'durationSeconds'>) => {
      await verifyWorkload(plan);
      return measureRun(plan, prepared.statements, settings, signal);
    };
    const plans = plansFor(prepared, graph, settings);
    if (cache === 'on') {
      results.mixOn = await measure(plans.mix);
    } else {
      results.mixOff = await measure(plans.mix);
      results.dashboard = await measure(plans.dashboard);
      results.meGateway = await measure(plans.meGateway);
      results.meDirect = await measure(plans.meDirect);
    }
  } catch (error) {
    await graph.stop().catch(() => undefined);
    throw error;
  }
  return graph.stop();
}

function plansFor(prepared: PreparedCheckout, graph: ProductionGraph, settings: GraphRunSettings) {
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
