import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { leavePageSession as run } from '../../live/presence.ts';

export const leavePageSession: NonNullable<MutationResolvers['leavePageSession']> = (_parent, args, ctx) => run(ctx, args);
