import type { Prisma } from '@token-nexus/prisma';

/** A page's schedule fields all cleared: nothing scheduled, and any job still queued for it does nothing. */
export const noSchedule = {
  scheduledPublishAt: null,
  scheduledUnpublishAt: null,
  scheduledRevision: null,
  scheduledById: null,
} satisfies Prisma.PageUpdateManyMutationInput;
