import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateSettings } from '../../providers/settings.ts';

export const updateAiSettings: NonNullable<MutationResolvers['updateAiSettings']> = (_parent, args, ctx) => updateSettings(ctx, args);
