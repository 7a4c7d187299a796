import type { KeyVault, Logger } from '@token-nexus/shared';
import type { StoredStep } from '../models.ts';

/**
 * What expressions and templates of a step can read: the run's trigger, its variables, and
 * the outputs of the steps that already ran (`steps.<key>.output`).
 */
export interface RunScope {
  trigger: Record<string, unknown>;
  vars: Record<string, unknown>;
  steps: Record<string, { output: unknown }>;
}

/** The run a step belongs to, as the step sees it. */
export interface RunOfStep {
  id: string;
  organizationId: string;
  workflowId: string;
  version: number;
  /** The run ids that led to this run, oldest first, this run last (see causation-chain.ts). */
  causation: string[];
}

/** Everything a step's executor gets for one attempt. */
export interface StepExecution {
  run: RunOfStep;
  /** The step as stored in the run's version (secret header values still sealed). */
  step: StoredStep;
  /** 1 on the first attempt of the step. */
  attempt: number;
  /**
   * When the step's first attempt started (the same on every later attempt and wake-up); a
   * delay counts from it, so a worker restart or a retry does not start the wait over.
   */
  stepStartedAt: Date;
  scope: RunScope;
  /** Aborted when the run is cancelled, the lease is lost or the worker stops: stop early. */
  signal: AbortSignal;
}

/** What a step that finished returns. */
export interface StepDone {
  kind: 'done';
  /** Shown as the step's `output` and read by later steps as `steps.<key>.output` (JSON). */
  output: unknown;
  /** Run variables to set (merged into `vars`). */
  variables?: Record<string, unknown>;
  /** For a condition: the branch taken (the step key, or null to end the run). */
  next?: string | null;
  /** An email to hand to the platform's mailer, in the same transaction as the step's success. */
  mail?: { to: string; subject: string; text: string };
}

/** A step that waits (a delay): it is woken at `until` and runs again with the same attempt. */
export interface StepWaiting {
  kind: 'wait';
  until: Date;
}

export type StepOutcome = StepDone | StepWaiting;

/**
 * A step attempt that failed. `retryable: false` fails the run at once (a bad input found
 * only at run time, a refusal, a limit); otherwise the step is tried again after its
 * backoff until its attempts are used up. `code` is an `extensions.code`-like word shown
 * in the run's error (e.g. FORBIDDEN).
 */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    message: string,
    readonly options: { retryable: boolean; code?: string } = { retryable: true },
  ) {
    super(message);
  }
}

/** What the executors need from the service, given once at start. */
export interface StepDependencies {
  logger: Logger;
  /** Decrypts secret header values (bound as in step-secrets.ts). */
  keys: KeyVault;
  /** Operator exceptions to the SSRF guard (WORKFLOWS_HTTP_ALLOW_LIST), e.g. `127.0.0.1` in tests. */
  httpAllowList: readonly string[];
  /** Runs one GraphQL operation of the graph as the workflow (its creator, limited to its scopes). */
  graphql(run: RunOfStep, step: StoredStep, request: { query: string; variables: Record<string, unknown> }, signal: AbortSignal): Promise<{ data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
}

/** Runs one attempt of one step type. */
export type StepExecutor = (execution: StepExecution, deps: StepDependencies) => Promise<StepOutcome>;
