import type { Workflow, WorkflowRun } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';
import type { StepTypeName } from './steps/step-types.ts';

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

export type TriggerType = 'EVENT' | 'SCHEDULE' | 'MANUAL' | 'INBOUND';

/** `Workflow.trigger` as stored (and returned): every field present, null where unused. */
export interface StoredTrigger {
  type: TriggerType;
  eventType: string | null;
  filter: Record<string, unknown> | null;
  cron: string | null;
  timeZone: string | null;
}

/** A header of an httpRequest step as stored: a secret one holds only its ciphertext. */
export type StoredHeader = { name: string; value: string; secret: false } | { name: string; secret: true; encryptedValue: string };

/** One element of `Workflow.steps` as stored: `next` made explicit (null ends the run). */
export interface StoredStep {
  key: string;
  type: StepTypeName;
  input: Record<string, unknown>;
  next: string | null;
  branches: { ifTrue: string | null; ifFalse: string | null } | null;
  /** Attempts before the step fails the run (1–10; absent in definitions saved before it existed: 3). */
  maxAttempts?: number;
}

export type WorkflowConnectionModel = Connection<Workflow>;

export type WorkflowRunConnectionModel = Connection<WorkflowRun>;

/** `Workflow.inbound`: where an INBOUND workflow is posted to, and its secret in clear. */
export interface WorkflowInboundModel {
  path: string;
  secret: string;
}
