import type { JobDefinition } from '@token-nexus/prisma';

/** Which asset a `media.process` job checks and processes. */
export type ProcessMediaPayload = { assetId: string };

/**
 * One job per completed upload. Retried on storage or library errors (a file's own
 * problems are a REJECTED outcome, not a failure); after the last attempt the asset is
 * FAILED. The lease covers a large image's variants on a busy worker.
 */
export const processMediaJob: JobDefinition<ProcessMediaPayload> = { queue: 'media.process', maxAttempts: 5, leaseMs: 120_000 };
