import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute, histogramSize } from '@token-nexus/shared';
import { z } from 'zod';
import { platformOrganizationId } from '../catalogue/platform-organization.ts';
import { dimensionKey } from '../ingest/metric-event.ts';
import { microsToDecimal } from '../ingest/rollup-writer.ts';

/** Where gateways report the operations they answered, per organization and credential. */
export const apiUsageRoutePath = '/internal/api-usage';

/** A GraphQL name, or the gateway's `anonymous` and `other`: safe as a dimension value. */
const operationName = z.string().max(100).regex(/^[_A-Za-z][_0-9A-Za-z]*$/);

const operationMinute = z
  .object({
    /** Null for the platform-wide figures (every operation, whichever organizations it counts for). */
    organizationId: z.uuid().nullable(),
    operation: operationName,
    /** The start of the minute the operations were answered in. */
    minute: z.iso.datetime(),
    /** How many operations took how long, in the buckets of the shared latency histogram. */
    histogram: z.array(z.number().int().min(0).max(10_000_000)).length(histogramSize),
    /** Their durations added up, in milliseconds. */
    totalMs: z.number().min(0).max(1e12),
    /** How many of them were answered with errors. */
    errors: z.number().int().min(0),
    /** How many of those errors were server-side failures. */
    failures: z.number().int().min(0),
  })
  .refine((entry) => entry.histogram.some((count) => count > 0), 'histogram: counts at least one operation')
  .refine(
    (entry) => entry.failures <= entry.errors && entry.errors <= entry.histogram.reduce((sum, count) => sum + count, 0),
    'failures ≤ errors ≤ operations',
  );

const report = z.object({
  counts: z
    .array(
      z.object({
        organizationId: z.uuid(),
        credential: z.enum(['user', 'api_key', 'oauth_app', 'workflow']),
        count: z.number().int().min(1).max(10_000_000),
        /** The start of the minute the operations were answered in. */
        minute: z.iso.datetime(),
      }),
    )
    .max(20_000),
  // Optional: a gateway of the previous version (during a rolling deployment) sends counts only.
  operations: z.array(operationMinute).max(5_000).default([]),
});

type Report = z.infer<typeof report>;

interface PendingRow {
  organizationId: string;
  metric: string;
  dimension: string;
  value: string;
  occurredAt: Date;
  details: string | null;
}

/**
 * The pending events a report becomes: each count one `api.requests` event; each
 * operation's minute one `api.latency` event carrying its histogram (and its durations'
 * total as the value, for means), plus `api.errors` and `api.failures` events when some
 * were. Platform-wide figures are kept under the platform's own organization id.
 */
function pendingRows({ counts, operations }: Report): PendingRow[] {
  const rows: PendingRow[] = counts.map((entry) => ({
    organizationId: entry.organizationId,
    metric: 'api.requests',
    dimension: dimensionKey('credential', entry.credential),
    value: String(entry.count),
    occurredAt: new Date(entry.minute),
    details: null,
  }));
  for (const entry of operations) {
    const base = {
      organizationId: entry.organizationId ?? platformOrganizationId,
      dimension: dimensionKey('operation', entry.operation),
      occurredAt: new Date(entry.minute),
      details: null,
    };
    rows.push({
      ...base,
      metric: 'api.latency',
      value: microsToDecimal(BigInt(Math.round(entry.totalMs * 1_000_000))),
      details: JSON.stringify({ histogram: entry.histogram }),
    });
    if (entry.errors > 0) rows.push({ ...base, metric: 'api.errors', value: String(entry.errors) });
    if (entry.failures > 0) rows.push({ ...base, metric: 'api.failures', value: String(entry.failures) });
  }
  return rows;
}

/**
 * `POST /internal/api-usage` `{ counts: [{ organizationId, credential, count, minute }],
 * operations: [{ organizationId, operation, minute, histogram, totalMs, errors, failures }] }`:
 * queues the counts as `api.requests` events and the operations as `api.latency`,
 * `api.errors` and `api.failures` events for the ingester, all in one statement (a report
 * is stored whole or not at all, so the gateway's retry of a failed one counts nothing
 * twice). Only a gateway may report (its signature over the body, like every request it
 * sends a subgraph).
 */
export function handleApiUsageRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: apiUsageRoutePath,
    signingSecret: deps.signingSecret,
    // The gateway sends at most 5,000 counts and 1,000 operations' minutes per report (about 1.1 MB at worst).
    limitBytes: 2 * 1024 * 1024,
    body: report,
    expected: '{ counts: [{ organizationId, credential, count, minute }], operations: [{ organizationId, operation, minute, histogram, totalMs, errors, failures }] }',
    handle: async (body) => {
      const rows = pendingRows(body);
      if (rows.length === 0) return { ok: true };
      const column = <T>(pick: (row: PendingRow) => T) => rows.map(pick);
      // Tagged as background work: it arrives on the gateway's schedule, not a client's request.
      await deps.prisma.$executeRaw`/* analytics:background */
        INSERT INTO analytics.pending_events (id, organization_id, metric, dimension, value, occurred_at, details)
        SELECT gen_random_uuid(), r.org, r.metric, r.dimension, r.value, r.occurred_at, r.details
        FROM unnest(${column((row) => row.organizationId)}::uuid[], ${column((row) => row.metric)}::text[],
          ${column((row) => row.dimension)}::text[], ${column((row) => row.value)}::numeric[],
          ${column((row) => row.occurredAt)}::timestamptz[], ${column((row) => row.details)}::jsonb[])
          AS r(org, metric, dimension, value, occurred_at, details)`;
      return { ok: true };
    },
  });
}
