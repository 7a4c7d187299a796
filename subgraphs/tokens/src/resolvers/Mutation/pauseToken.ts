import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestControl } from '../../providers/token-operations.ts';

export const pauseToken: NonNullable<MutationResolvers['pauseToken']> = (_parent, args, ctx) => requestControl(ctx, args, 'PAUSE');
