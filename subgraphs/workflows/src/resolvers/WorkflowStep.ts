import type { WorkflowStepResolvers } from '../__generated__/resolvers-types.ts';
import { defaultMaxAttempts } from '../validation/workflow-definition.ts';

export const WorkflowStep: WorkflowStepResolvers = {
  // Definitions saved before steps had a setting make the default number of attempts.
  maxAttempts: (step) => step.maxAttempts ?? defaultMaxAttempts,
};
