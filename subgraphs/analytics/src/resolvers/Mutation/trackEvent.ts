import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { trackEvent as track } from '../../providers/track-event.ts';

export const trackEvent: NonNullable<MutationResolvers['trackEvent']> = (_parent, args, ctx) => track(ctx, args.input);
