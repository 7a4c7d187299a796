import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updatePresence as run } from '../../live/presence.ts';

export const updatePresence: NonNullable<MutationResolvers['updatePresence']> = (_parent, args, ctx) => run(ctx, args);
