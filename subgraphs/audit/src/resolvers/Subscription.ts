import { auditEntryTopic, type AuditEntry as AuditEntryModel } from '@token-nexus/prisma';
import { ForbiddenError, accessRevoked, createLiveAccess, guardedStream } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';
import { parseOrganizationId } from '../providers/organization-id.ts';

/** An entry as it travels on the bus (JSON): dates are strings again. */
type PublishedEntry = Omit<AuditEntryModel, 'occurredAt'> & { occurredAt: string };

export const Subscription: SubscriptionResolvers = {
  auditEntryAdded: {
    subscribe: async (_parent, args, ctx) => {
      const organizationId = parseOrganizationId(args.orgId);
      await policy.assertCanReadTrail(ctx, organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        ctx.events.subscribe<PublishedEntry>(auditEntryTopic(organizationId)),
        async () => policy.canReadTrail(await access.get(), organizationId),
        access.close,
      );
    },
    resolve: (payload: PublishedEntry | typeof accessRevoked) => {
      if (payload === accessRevoked) {
        throw new ForbiddenError("You can no longer read this organization's audit trail.");
      }
      return { ...payload, occurredAt: new Date(payload.occurredAt) };
    },
  },
};
