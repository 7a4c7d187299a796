import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listSecurityEvents } from '../../providers/security-events.ts';

export const securityEvents: NonNullable<QueryResolvers['securityEvents']> = (_parent, args, ctx) =>
  listSecurityEvents(ctx, args);
