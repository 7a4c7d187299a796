import type { JobStatus, PrismaClient } from '../generated/client.ts';
import { emptyCounts, stateOfStatus } from './job-report.ts';
import type { QueueCounts } from './job-runner.ts';

/**
 * The queues' jobs by state, as their rows say: all of them, or only those of the
 * statuses given (the BullMQ transport counts the rows it has not relayed yet).
 */
export async function countRows(
  prisma: PrismaClient,
  names: string[],
  statuses?: JobStatus[],
): Promise<Record<string, QueueCounts>> {
  const where = { queue: { in: names }, ...(statuses ? { status: { in: statuses } } : {}) };
  const [byStatus, delayed] = await Promise.all([
    prisma.job.groupBy({ by: ['queue', 'status'], where, _count: true }),
    prisma.job.groupBy({ by: ['queue'], where: { ...where, status: 'QUEUED', runAt: { gt: new Date() } }, _count: true }),
  ]);
  const counts = Object.fromEntries(names.map((name) => [name, emptyCounts()]));
  for (const group of byStatus) {
    counts[group.queue]![stateOfStatus(group.status)] += group._count;
  }
  // A QUEUED job whose time has not come is delayed.
  for (const group of delayed) {
    counts[group.queue]!.queued -= group._count;
    counts[group.queue]!.delayed += group._count;
  }
  return counts;
}
