import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { joinPageSession as run } from '../../live/presence.ts';

export const joinPageSession: NonNullable<MutationResolvers['joinPageSession']> = (_parent, args, ctx) => run(ctx, args);
