import { verifyAuditChain as verify } from '@token-nexus/prisma';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { policy } from '../../policy.ts';
import { parseOrganizationId } from '../../providers/organization-id.ts';

export const verifyAuditChain: NonNullable<QueryResolvers['verifyAuditChain']> = async (
  _parent,
  args,
  ctx,
) => {
  const organizationId = parseOrganizationId(args.orgId);
  await policy.assertCanReadTrail(ctx, organizationId);
  return verify(ctx.prisma, organizationId);
};
