import { sleep } from './concurrency.ts';
import { plansFor, type CheckoutResults, type GraphRunSettings } from './graph-runs.ts';
import { measureRun, verifyWorkload } from './measured-run.ts';
import type { OtlpSink, SpanTally } from './otlp-sink.ts';
import type { PreparedCheckout } from './prepared-checkout.ts';
import { productionEnv, startProductionGraph } from './production-graph.ts';
import { progress } from './run-benchmark.ts';

/** How a graph observes itself: `off` records and exports nothing; `on` is production's metrics and tracing. */
export type ObservabilitySetting = 'off' | 'on';

/** The share of traces a graph with observability on records (OTEL_TRACES_SAMPLER_ARG), as compose.yaml runs it. */
export const tracesSampled = 0.1;

/**
 * The services batch their spans and export them every second: once the load stops, this
 * long is enough for the last batches (and their export) to reach the sink.
 */
const lastExportMs = 2_500;

/**
 * The metrics and tracing variables of a graph with observability `setting`. Off:
 * METRICS=off (nothing recorded, no /metrics) and no OTLP endpoint (the tracer is
 * OpenTelemetry's no-op). On: METRICS=on, the default, and traces exported to `sink`,
 * `tracesSampled` of them.
 */
export function observabilityEnv(setting: ObservabilitySetting, sink: OtlpSink): Record<string, string> {
  if (setting === 'off') return { METRICS: 'off' };
  return { METRICS: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: String(tracesSampled) };
}

/** What one graph with an observability setting measured. */
export interface ObservabilityGraphRun {
  /** `observabilityOff` or `observabilityOn`. */
  runs: CheckoutResults;
  /** The spans of the requests of its measured run that reached the sink; none with observability off. */
  exported: SpanTally | undefined;
  /** The CPU profiles the graph wrote, if profiling. */
  profiles: string[];
}

/**
 * Starts the checkout's graph with the cache off and observability `setting` (`name`
 * names it in the report, its log and its profile), measures the dashboard query alone
 * on it as `measureGraph` does, and stops it. With observability on, also counts the
 * traces and spans of the measured run's requests that reached the sink, and fails if
 * none did: a graph that exports nothing measures tracing's cost no more than one off.
 */
export async function measureObservabilityGraph(
  prepared: PreparedCheckout,
  setting: ObservabilitySetting,
  name: string,
  settings: GraphRunSettings & { sink: OtlpSink },
  signal: AbortSignal,
): Promise<ObservabilityGraphRun> {
  progress(`${name}: starting the graph…`);
  const env = { ...productionEnv({ ...prepared.setting, cache: 'off' }), ...observabilityEnv(setting, settings.sink) };
  const graph = await startProductionGraph(prepared.checkout, env, { name, runDir: settings.runDir, cpuProfile: settings.cpuProfile });
  let measured: Omit<ObservabilityGraphRun, 'profiles'>;
  try {
    const { dashboard } = plansFor(prepared, graph, settings);
    await verifyWorkload(dashboard);
    let startedAt = Number.NaN;
    const run = await measureRun(dashboard, prepared.statements, settings, signal, () => (startedAt = Date.now()));
    if (setting === 'off') measured = { runs: { observabilityOff: run }, exported: undefined };
    else measured = { runs: { observabilityOn: run }, exported: await exportedSince(settings.sink, startedAt) };
    if (measured.exported?.traces === 0) throw new Error(`${name}: no trace reached the OTLP sink (see ${graph.logFile})`);
  } catch (error) {
    await graph.stop().catch(() => undefined);
    throw error;
  }
  return { ...measured, profiles: await graph.stop() };
}

/** The spans that started from `startedAt` until now, once the last of them had time to be exported. */
async function exportedSince(sink: OtlpSink, startedAt: number): Promise<SpanTally> {
  const endedAt = Date.now();
  await sleep(lastExportMs);
  return sink.startedBetween(startedAt, endedAt);
}

/** Two tallies as one (rounds of a checkout). */
export function addTallies(earlier: SpanTally | undefined, later: SpanTally | undefined): SpanTally | undefined {
  if (!earlier || !later) return earlier ?? later;
  return { traces: earlier.traces + later.traces, spans: earlier.spans + later.spans };
}
