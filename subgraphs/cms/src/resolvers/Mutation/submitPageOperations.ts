import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { submitPageOperations as submit } from '../../live/submit-operations.ts';

export const submitPageOperations: NonNullable<MutationResolvers['submitPageOperations']> = (_parent, args, ctx) =>
  submit(ctx, args);
