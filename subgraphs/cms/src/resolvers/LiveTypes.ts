import type {
  PageEventResolvers,
  PageOperationResolvers,
  PagePresenceResolvers,
  PageSessionResolvers,
} from '../__generated__/resolvers-types.ts';
import { requirePage } from '../providers/pages.ts';

/** The types of live editing: users are identity's (the gateway resolves the rest). */
export const PageOperation: PageOperationResolvers = {
  author: (operation) => ({ id: operation.authorId }),
  createdAt: (operation) => new Date(operation.createdAt),
};

export const PagePresence: PagePresenceResolvers = {
  user: (presence) => ({ id: presence.userId }),
  expiresAt: (presence) => new Date(presence.expiresAt),
};

export const PageSession: PageSessionResolvers = {
  page: (session, _args, ctx) => requirePage(ctx, session.pageId),
};

export const PageEvent: PageEventResolvers = {
  __resolveType: (event) => (event.kind === 'operation' ? 'PageOperation' : 'PagePresenceChanged'),
};
