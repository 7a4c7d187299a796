import { parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { policy } from '../../policy.ts';

export const auditExport: NonNullable<QueryResolvers['auditExport']> = async (_parent, args, ctx) => {
  const id = parseInput(z.uuid('must be an export id returned by this API'), args.id, 'id');
  const found = await ctx.prisma.auditExport.findUnique({ where: { id } });
  if (!found) return null;
  await policy.assertCanReadTrail(ctx, found.organizationId);
  return found;
};
