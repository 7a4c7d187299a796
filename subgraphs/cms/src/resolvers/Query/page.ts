import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findPage } from '../../providers/pages.ts';

export const page: NonNullable<QueryResolvers['page']> = (_parent, args, ctx) => findPage(ctx, args.id);
