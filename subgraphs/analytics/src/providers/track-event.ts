import type { Prisma } from '@token-nexus/prisma';
import { BadUserInputError, NotFoundError, parseInput } from '@token-nexus/shared';
import type { AnalyticsContext } from '../context.ts';
import { dimensionKey } from '../ingest/metric-event.ts';
import { experimentRecords, type ExperimentRecords } from './experiment-events.ts';
import { policy } from '../policy.ts';
import { maxEventBytes, pageViewEvent, trackEventSchema } from '../validation/track-event.ts';

/**
 * Validates a tracked event and queues it for the ingester (analytics.pending_events),
 * which counts it in the next round. A page view counts in `cms.page.views` (and, with a
 * visitor id, `cms.page.visitors`); another name in `events.tracked` by name. Nothing is
 * stored unless everything is valid. For a page running an A/B experiment, the visitor's
 * exposure and conversion are recorded at once, with the event (see experiment-events.ts).
 */
export async function trackEvent(ctx: AnalyticsContext, rawInput: unknown): Promise<boolean> {
  if (Buffer.byteLength(JSON.stringify(rawInput ?? null)) > maxEventBytes) {
    throw new BadUserInputError(`input: an event is at most ${maxEventBytes / 1024} KB of JSON.`, { field: 'input' });
  }
  const now = new Date();
  const input = parseInput(trackEventSchema(now), rawInput, 'input');
  let organizationId: string;
  let pageId: string | null = null;
  let experiment: ExperimentRecords = { exposure: null, conversion: null };
  if (input.orgId) {
    await policy.assertCanTrackFor(ctx, input.orgId);
    organizationId = input.orgId;
  } else {
    const page = await ctx.publishedPages.find(ctx.claims, input.orgSlug!, input.pageSlug!, input.locale ?? null);
    if (!page) throw new NotFoundError(`No published page "${input.pageSlug}" in organization "${input.orgSlug}".`);
    organizationId = page.organizationId;
    pageId = page.pageId;
    experiment = experimentRecords(page, { name: input.name, visitorId: input.visitorId, occurredAt: input.timestamp ?? now });
  }
  const occurredAt = input.timestamp ?? now;
  const details = { name: input.name, ...(input.properties ? { properties: input.properties } : {}) } as Prisma.InputJsonObject;
  const base = { organizationId, occurredAt, details, subject: input.visitorId ?? null };
  const rows =
    input.name === pageViewEvent
      ? [
          { ...base, metric: 'cms.page.views', dimension: dimensionKey('page', pageId!) },
          ...(input.visitorId ? [{ ...base, metric: 'cms.page.visitors', dimension: dimensionKey('page', pageId!) }] : []),
        ]
      : [{ ...base, metric: 'events.tracked', dimension: dimensionKey('name', input.name) }];
  if (!experiment.exposure && !experiment.conversion) {
    await ctx.prisma.pendingEvent.createMany({ data: rows });
    return true;
  }
  await ctx.prisma.$transaction(async (tx) => {
    await tx.pendingEvent.createMany({ data: rows });
    if (experiment.exposure) await tx.experimentExposure.createMany({ data: [experiment.exposure], skipDuplicates: true });
    if (experiment.conversion) await tx.experimentConversion.createMany({ data: [experiment.conversion], skipDuplicates: true });
  });
  return true;
}
