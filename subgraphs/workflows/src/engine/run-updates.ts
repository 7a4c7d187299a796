import type { EventBus } from '@token-nexus/shared';

/** What `workflowRunUpdated` hears: which run changed (subscribers read it afresh). */
export interface RunUpdate {
  runId: string;
  workflowId: string;
}

/** The topic of one organization's run changes. */
export function runUpdatesTopic(organizationId: string): string {
  return `workflows:runs:${organizationId}`;
}

/** A run that changed in a transaction, told to subscribers once that transaction committed. */
export interface ChangedRun {
  id: string;
  organizationId: string;
  workflowId: string;
}

/**
 * Tells subscribers about runs that changed. Call it after the change committed: a
 * subscriber reads the run when told, and must find the change there. A lost notice only
 * delays a screen, never a run, so failures are logged and forgotten.
 */
export function createRunNotifier(events: EventBus, onError: (error: unknown) => void) {
  return (runs: readonly ChangedRun[]): void => {
    for (const run of runs) {
      const update: RunUpdate = { runId: run.id, workflowId: run.workflowId };
      events.publish(runUpdatesTopic(run.organizationId), update).catch(onError);
    }
  };
}

export type RunNotifier = ReturnType<typeof createRunNotifier>;
