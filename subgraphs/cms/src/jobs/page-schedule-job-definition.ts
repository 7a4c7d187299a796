import type { JobDefinition } from '@token-nexus/prisma';

/**
 * What a `cms.page-schedule` job acts on: one page, one action, and the time it was
 * scheduled for (ISO 8601). The time is the job's identity: the job acts only while the
 * page's schedule still holds that time, so cancelling or rescheduling needs no access to
 * the queue (which may be BullMQ's or the database's).
 */
export type PageSchedulePayload = { pageId: string; action: 'PUBLISH' | 'UNPUBLISH'; at: string };

/**
 * One job per scheduled time, enqueued to run at that time. Retried on database errors;
 * a retry finds the schedule cleared once an attempt has committed, so it never publishes twice.
 */
export const pageScheduleJob: JobDefinition<PageSchedulePayload> = { queue: 'cms.page-schedule', maxAttempts: 5 };
