import { ForbiddenError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import { parseAfterVersion } from '../live/live-queries.ts';
import { pageEventStream } from '../live/page-event-stream.ts';
import type { PageBusEvent } from '../live/page-events.ts';
import { leave, ownSession } from '../live/presence.ts';
import { policy } from '../policy.ts';
import { requirePage } from '../providers/pages.ts';
import { uuid } from '../validation/inputs.ts';

export const Subscription: SubscriptionResolvers = {
  pageEvents: {
    subscribe: async (_parent, args, ctx) => {
      const pageId = parseInput(uuid, args.pageId, 'pageId');
      const page = await requirePage(ctx, pageId);
      await policy.assertCanRead(ctx, page.organizationId);
      const afterVersion = args.afterVersion == null ? null : parseAfterVersion(ctx, args.afterVersion, page.version);
      // A session tied to the subscription ends with it: closing the tab is leaving.
      const session = args.sessionId == null ? null : await ownSession(ctx, { pageId, sessionId: args.sessionId });
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        pageEventStream({
          prisma: ctx.prisma,
          events: ctx.events,
          pageId,
          afterVersion,
          maxVersionsBehind: ctx.live.maxVersionsBehind,
        }),
        async () => policy.canRead(await access.get(), page.organizationId),
        () => {
          access.close();
          if (!session) return;
          leave(ctx.live.presence, ctx.events, session.pageId, session.sessionId).catch((error: unknown) =>
            ctx.logger.warn({ err: error }, 'could not end a live session; it lapses on its own'),
          );
        },
      );
    },
    resolve: (payload: PageBusEvent | typeof accessRevoked) => {
      if (payload === accessRevoked) throw new ForbiddenError('You can no longer read this page.');
      return payload;
    },
  },
};
