import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listTemplates } from '../../providers/templates.ts';

export const templates: NonNullable<QueryResolvers['templates']> = (_parent, args, ctx) =>
  listTemplates(ctx, args);
