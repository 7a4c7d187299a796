import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { issueSession } from '../../providers/sessions.ts';
import { authenticateUser } from '../../providers/users.ts';

export const logIn: NonNullable<MutationResolvers['logIn']> = async (_parent, args, ctx) =>
  issueSession(ctx, await authenticateUser(ctx, args.input));
