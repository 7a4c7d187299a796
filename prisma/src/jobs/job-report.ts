import type { Job, JobStatus } from '../generated/client.ts';
import type { JobReport, JobState, QueueCounts } from './job-runner.ts';

/**
 * A job's report from its row: what the database transport knows, and what the BullMQ
 * transport knows of a job it has not been handed yet or has finished.
 */
export function reportFromRow(row: Job, now = new Date()): JobReport {
  return {
    id: row.id,
    queue: row.queue,
    state: row.status === 'QUEUED' && row.runAt > now ? 'delayed' : stateOfStatus(row.status),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
  };
}

/** The state a row's status stands for (a QUEUED job may yet be delayed: see its runAt). */
export function stateOfStatus(status: JobStatus): JobState {
  switch (status) {
    case 'QUEUED':
      return 'queued';
    case 'RELAYED':
      // Only BullMQ knows more; as far as the row tells, the job is waiting to run.
      return 'queued';
    case 'RUNNING':
      return 'running';
    case 'SUCCEEDED':
      return 'completed';
    case 'FAILED':
      return 'failed';
  }
}

/** Every state at zero. */
export function emptyCounts(): QueueCounts {
  return { queued: 0, delayed: 0, running: 0, completed: 0, failed: 0 };
}
