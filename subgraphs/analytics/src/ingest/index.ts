/** The analytics ingester: sources, rounds, the job that runs them, and its keeper. */
export { ingestRound, type RoundOutcome } from './ingest-round.ts';
export { ingestJob, ingestJobHandler, ensureIngestJob, type IngestSettings } from './ingest-job.ts';
export { startIngestKeeper } from './ingest-keeper.ts';
export { createRawEventStore, type RawEventStore } from './raw-event-store.ts';
export { metricUpdatesTopic, type MetricChanges } from './metric-updates.ts';
export { ingestSources } from './sources/index.ts';
