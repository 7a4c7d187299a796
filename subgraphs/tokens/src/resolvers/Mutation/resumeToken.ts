import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestControl } from '../../providers/token-operations.ts';

export const resumeToken: NonNullable<MutationResolvers['resumeToken']> = (_parent, args, ctx) => requestControl(ctx, args, 'RESUME');
