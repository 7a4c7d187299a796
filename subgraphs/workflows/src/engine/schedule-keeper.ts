import type { Prisma, PrismaClient, Workflow } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import { CronExpressionParser } from 'cron-parser';
import type { StoredTrigger } from '../models.ts';
import type { EngineSettings } from './engine-settings.ts';
import { startPolling } from './polling.ts';
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
 * Starts the runs of due ticks: due schedule rows are claimed with SKIP LOCKED (instances
 * share them), each starts one run for its tick (`tick:<time>` dedupe key: one run per tick
 * across instances, whatever happens) and moves to its next tick after now. A tick missed
 * while every instance was down starts one run late rather than a burst of them.
 */
export async function runDueTicks(prisma: PrismaClient, settings: EngineSettings, limit = 100): Promise<{ started: number; changed: ChangedRun[] }> {
  return prisma.$transaction(async (tx) => {
    const due = await tx.$queryRaw<{ workflowId: string; nextTickAt: Date }[]>`
      SELECT workflow_id AS "workflowId", next_tick_at AS "nextTickAt" FROM workflows.workflow_schedules
      WHERE next_tick_at <= now() ORDER BY next_tick_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    const changed: ChangedRun[] = [];
    const now = new Date();
    for (const { workflowId, nextTickAt } of due) {
      const workflow = await tx.workflow.findUnique({ where: { id: workflowId } });
      if (!workflow) continue;
      const started = await startRun(
        tx,
        workflow,
        { type: 'SCHEDULE', payload: { tick: { scheduledFor: nextTickAt.toISOString() } }, dedupeKey: `tick:${nextTickAt.toISOString()}` },
        settings,
      );
      changed.push(...started.changed);
      await syncSchedule(tx, workflow, now > nextTickAt ? now : nextTickAt);
    }
    return { started: due.length, changed };
  });
}

/** Checks for due ticks every `schedulerIntervalMs` on every instance. */
export function startScheduleKeeper(options: { prisma: PrismaClient; settings: EngineSettings; logger: Logger; notify: (runs: ChangedRun[]) => void }) {
  return startPolling(options.settings.schedulerIntervalMs, options.logger, 'workflow schedule keeper', async () => {
    const round = await runDueTicks(options.prisma, options.settings);
    options.notify(round.changed);
    return round.started === 100;
  });
}
