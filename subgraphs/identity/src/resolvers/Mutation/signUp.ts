import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { issueSession } from '../../providers/sessions.ts';
import { createUser } from '../../providers/users.ts';

export const signUp: NonNullable<MutationResolvers['signUp']> = async (_parent, args, ctx) =>
  issueSession(ctx, await createUser(ctx, args.input));
