import type { WorkflowsConfig } from '../config.ts';

/** The limits and timings the engine runs by (WORKFLOWS_* variables, see config.ts). */
export type EngineSettings = WorkflowsConfig['engine'];

/** A chain of runs triggering runs longer than this is a loop: the next run fails at once. */
export const maxCausationDepth = 5;
