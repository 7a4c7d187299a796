import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listPresence } from '../../live/live-queries.ts';

export const pagePresence: NonNullable<QueryResolvers['pagePresence']> = (_parent, args, ctx) => listPresence(ctx, args);
