import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listFormSubmissions } from '../../providers/form-submissions.ts';

export const formSubmissions: NonNullable<QueryResolvers['formSubmissions']> = (_parent, args, ctx) =>
  listFormSubmissions(ctx, args);
