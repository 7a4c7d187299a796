import type { Prisma, PrismaClient, Workflow } from '@token-nexus/prisma';
import { startPolling, type Logger } from '@token-nexus/shared';
import { CronExpressionParser } from 'cron-parser';
import type { StoredTrigger } from '../models.ts';
import type { EngineSettings } from './engine-settings.ts';
import type { ChangedRun } from './run-updates.ts';
import { startRun } from './start-run.ts';

type Tx = Prisma.TransactionClient;

/**
 * The first tick of a schedule after `after`, read in its time zone: cron-parser walks
 * local wall-clock times, so "every day at 9:00 Europe/Berlin" stays at 9:00 across a DST
 * change, a local time skipped by the change does not fire, and one repeated fires once.
 */
export function nextTick(trigger: Pick<StoredTrigger, 'cron' | 'timeZone'>, after: Date): Date {
  return CronExpressionParser.parse(trigger.cron!, { tz: trigger.timeZone!, currentDate: after }).next().toDate();
}

/**
 * Keeps a workflow's schedule row in step with its definition, in the caller's
 * transaction: an enabled SCHEDULE workflow is due at its next tick from now; any other
 * has no row. Called whenever a workflow is created, changed, enabled, disabled or deleted.
 */
export async function syncSchedule(tx: Tx, workflow: Workflow, now = new Date()): Promise<void> {
  const trigger = workflow.trigger as unknown as StoredTrigger;
  if (!workflow.enabled || workflow.deletedAt || trigger.type !== 'SCHEDULE') {
    await tx.workflowSchedule.deleteMany({ where: { workflowId: workflow.id } });
    return;
  }
  const nextTickAt = nextTick(trigger, now);
  await tx.workflowSchedule.upsert({ where: { workflowId: workflow.id }, create: { workflowId: workflow.id, nextTickAt }, update: { nextTickAt } });
}

/**
 * Starts the run of one due tick, in a transaction of its own: the due schedule row is
 * claimed with SKIP LOCKED (instances share them), one run starts for its tick (its
 * `tick:<time>` dedupe key makes it one across instances, whatever happens) and the row
 * moves to the next tick after now. One tick per transaction, so the first run of a burst
 * of schedules due together starts when it is claimed, not when the last one is. A tick
 * missed while every instance was down starts one run late rather than a burst of them.
 * Null when none is due.
 */
export async function runDueTick(prisma: PrismaClient, settings: EngineSettings): Promise<ChangedRun[] | null> {
  return prisma.$transaction(async (tx) => {
    const [due] = await tx.$queryRaw<{ workflowId: string; nextTickAt: Date }[]>`
      SELECT workflow_id AS "workflowId", next_tick_at AS "nextTickAt" FROM workflows.workflow_schedules
      WHERE next_tick_at <= now() ORDER BY next_tick_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!due) return null;
    const workflow = await tx.workflow.findUnique({ where: { id: due.workflowId } });
    if (!workflow) return [];
    const tick = due.nextTickAt.toISOString();
    const started = await startRun(tx, workflow, { type: 'SCHEDULE', payload: { tick: { scheduledFor: tick } }, dedupeKey: `tick:${tick}` }, settings);
    const now = new Date();
    await syncSchedule(tx, workflow, now > due.nextTickAt ? now : due.nextTickAt);
    return started.changed;
  });
}

/** Due ticks are started by this many transactions side by side (SKIP LOCKED keeps them apart). */
const tickStarters = 4;

/** Checks for due ticks every `schedulerIntervalMs` on every instance, and starts every due one at once. */
export function startScheduleKeeper(options: { prisma: PrismaClient; settings: EngineSettings; logger: Logger; notify: (runs: ChangedRun[]) => void }) {
  const starter = async () => {
    for (;;) {
      const changed = await runDueTick(options.prisma, options.settings);
      if (changed === null) return;
      options.notify(changed);
    }
  };
  return startPolling(options.settings.schedulerIntervalMs, options.logger, 'workflow schedule keeper', async () => {
    await Promise.all(Array.from({ length: tickStarters }, starter));
    return false;
  });
}
