import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { deleteFormSubmission as erase } from '../../providers/form-submissions.ts';

export const deleteFormSubmission: NonNullable<MutationResolvers['deleteFormSubmission']> = (_parent, args, ctx) =>
  erase(ctx, args.id);
