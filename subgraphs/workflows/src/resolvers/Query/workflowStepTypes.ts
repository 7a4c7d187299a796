import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { policy } from '../../policy.ts';
import { stepTypes } from '../../steps/step-types.ts';

export const workflowStepTypes: NonNullable<QueryResolvers['workflowStepTypes']> = (_parent, _args, ctx) => {
  policy.requireViewer(ctx);
  return stepTypes.map((type) => ({ name: type.name, description: type.description, inputSchema: type.inputSchema }));
};
