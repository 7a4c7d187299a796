import { BadUserInputError, parseInput } from '@token-nexus/shared';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { policy } from '../../policy.ts';
import { uuid } from '../../validation/inputs.ts';

export const organization: NonNullable<QueryResolvers['organization']> = async (
  _parent,
  args,
  ctx,
) => {
  policy.requireCaller(ctx);
  if ((args.id == null) === (args.slug == null)) {
    throw new BadUserInputError('Give exactly one of id and slug.');
  }
  const found = args.id
    ? await ctx.loaders.organizationById.load(parseInput(uuid, args.id, 'id'))
    : await ctx.prisma.organization.findUnique({ where: { slug: args.slug! } });
  if (!found) return null;
  await policy.assertCanViewOrganization(ctx, found.id);
  return found;
};
