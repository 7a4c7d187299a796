import { aiUsageSource } from './ai-usage.ts';
import { auditTrailSource } from './audit-trail.ts';
import { formSubmissionsSource } from './form-submissions.ts';
import type { IngestSource } from './ingest-source.ts';
import { pendingEventsSource } from './pending-events.ts';
import { tokenTransfersSource } from './token-transfers.ts';
import { webhookAttemptsSource } from './webhook-attempts.ts';

/**
 * Every source a round reads, in order. The audit trail is the event source of every
 * domain; the others are rows the trail does not hold (chain activity from the tokens
 * indexer, delivery attempts, the assistant's usage counters, form submissions from the
 * event outbox as experiment conversions) and events that exist nowhere else (tracked
 * events, request counts). These reads of other domains' tables
 * are the analytics exception to "a subgraph touches only its own tables": read only,
 * and only here.
 */
export const ingestSources: readonly IngestSource[] = [
  auditTrailSource,
  tokenTransfersSource,
  webhookAttemptsSource,
  aiUsageSource,
  formSubmissionsSource,
  pendingEventsSource,
];

export type { IngestSource } from './ingest-source.ts';
