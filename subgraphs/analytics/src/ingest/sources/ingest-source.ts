import type { Prisma } from '@token-nexus/prisma';
import type { MetricEvent } from '../metric-event.ts';

/** The transaction every source of one ingest round reads and moves its cursor in. */
export type IngestTransaction = Prisma.TransactionClient;

/** What a source read in one round. */
export interface SourceBatch {
  events: MetricEvent[];
  /** Events that exist nowhere else (tracked events), kept as raw events for the retention period. */
  rawEvents?: MetricEvent[];
  /** Whether the source stopped at its batch limit (more is waiting: go again at once). */
  full: boolean;
}

/**
 * A place events come from. `read` runs inside the round's transaction and moves the
 * source's own cursor there too, so what it returns is counted exactly once: if the
 * round fails or the process dies, the cursor goes back with everything else.
 */
export interface IngestSource {
  name: string;
  read(tx: IngestTransaction, limit: number): Promise<SourceBatch>;
}
