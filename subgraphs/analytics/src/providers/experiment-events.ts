import type { Prisma } from '@token-nexus/prisma';
import { assignVariant } from '@token-nexus/shared';
import { pageViewEvent } from '../validation/track-event.ts';
import { goalKey } from './experiment-goal.ts';
import type { PublishedPageRef } from './published-pages.ts';

/** What one tracked event records for the experiment of its page. */
export interface ExperimentRecords {
  exposure: Prisma.ExperimentExposureCreateManyInput | null;
  conversion: Prisma.ExperimentConversionCreateManyInput | null;
}

/**
 * What a tracked event of a published page means for the experiment the page runs: a
 * `page_view` with a visitor id exposes the visitor to their variant (the shared
 * assignment, as the cms served it), and an event named as the goal converts them. None
 * without a visitor id, a running experiment, or a matching name. Rows are written once
 * per visitor (the tables' keys), so repeats count once.
 */
export function experimentRecords(
  page: PublishedPageRef,
  event: { name: string; visitorId?: string | null | undefined; occurredAt: Date },
): ExperimentRecords {
  const { experiment } = page;
  if (!experiment || !event.visitorId) return { exposure: null, conversion: null };
  const base = { organizationId: page.organizationId, experimentId: experiment.id, visitorId: event.visitorId };
  const variant = assignVariant(experiment.id, event.visitorId, experiment.variants);
  return {
    exposure: event.name === pageViewEvent ? { ...base, variant, exposedAt: event.occurredAt } : null,
    conversion:
      experiment.goal.eventName && event.name === experiment.goal.eventName
        ? { ...base, goal: goalKey(experiment.goal), variant, convertedAt: event.occurredAt }
        : null,
  };
}
