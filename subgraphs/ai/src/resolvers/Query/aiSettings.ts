import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { readSettings } from '../../providers/settings.ts';

export const aiSettings: NonNullable<QueryResolvers['aiSettings']> = (_parent, args, ctx) => readSettings(ctx, args);
