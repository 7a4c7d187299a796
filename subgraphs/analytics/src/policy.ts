import { ForbiddenError, UnauthenticatedError, type ViewerAccess } from '@token-nexus/shared';
import type { AnalyticsContext } from './context.ts';

/**
 * Every authorization rule of the analytics subgraph, in one place: an organization's
 * metrics are read by its members (any role), by system administrators, and by its own
 * programs holding `analytics:read` (the scope is checked on the fields). Nobody reads
 * another organization's metrics, whichever way they ask (`_entities` included). How the
 * graph performs (operations' latency, errors, service level) is read by an
 * organization's OWNERs and ADMINs and its own programs (which act as its ADMIN) for it,
 * and by system administrators for any organization or the whole platform.
 */
export const policy = {
  canReadMetrics(access: ViewerAccess, organizationId: string): boolean {
    return access.isSystemAdmin || access.roles.has(organizationId);
  },

  async assertCanReadMetrics(ctx: AnalyticsContext, organizationId: string): Promise<void> {
    if (ctx.claims.actor.type === 'anonymous') throw new UnauthenticatedError();
    if (policy.canReadMetrics(await ctx.access(), organizationId)) return;
    throw new ForbiddenError("Only the organization's members can read its metrics.");
  },

  /** `organizationId` null: the whole platform's figures, for system administrators only. */
  canReadPerformance(access: ViewerAccess, organizationId: string | null): boolean {
    if (access.isSystemAdmin) return true;
    if (organizationId === null) return false;
    const role = access.roles.get(organizationId);
    return role === 'OWNER' || role === 'ADMIN';
  },

  async assertCanReadPerformance(ctx: AnalyticsContext, organizationId: string | null): Promise<void> {
    if (ctx.claims.actor.type === 'anonymous') throw new UnauthenticatedError();
    if (policy.canReadPerformance(await ctx.access(), organizationId)) return;
    throw new ForbiddenError(
      organizationId === null
        ? "Only system administrators can read the whole platform's performance; name an organization with orgId."
        : "Only the organization's OWNERs and ADMINs can read its performance.",
    );
  },

  /** Custom events for an organization: its members and its own programs. */
  async assertCanTrackFor(ctx: AnalyticsContext, organizationId: string): Promise<void> {
    if (ctx.claims.actor.type === 'anonymous') {
      throw new UnauthenticatedError('Sign in to send events for an organization, or name a published page (orgSlug, pageSlug).');
    }
    const access = await ctx.access();
    if (access.roles.has(organizationId)) return;
    throw new ForbiddenError('Only members of the organization can send its events.');
  },
};
