import { recordAccessDenied } from '@token-nexus/prisma';
import { ForbiddenError, UnauthenticatedError, type OrganizationRole, type ViewerAccess } from '@token-nexus/shared';
import type { CmsContext } from './context.ts';

/** Who may write pages: everyone but VIEWERs. */
const pageEditors: readonly OrganizationRole[] = ['OWNER', 'ADMIN', 'MEMBER'];
/** Who may change the component library and templates every page is built from. */
const libraryManagers: readonly OrganizationRole[] = ['OWNER', 'ADMIN'];

/**
 * Every authorization rule of the cms subgraph, in one place. Roles come from identity,
 * once per request (`ctx.access`).
 *
 * - Members of an organization (any role) read its pages, drafts included, their
 *   revisions, its components and its templates.
 * - OWNER, ADMIN and MEMBER create, edit, publish, unpublish, archive and restore pages,
 *   start and end their A/B experiments, and join their live editing sessions; any member
 *   may follow a page's live events and read its experiments.
 * - Only OWNER and ADMIN create and change components and templates, and change the
 *   site settings (default locale, fallback chain); any member reads those.
 * - Form submissions (leads) hold what visitors sent: OWNER, ADMIN and MEMBER read and
 *   export them, only OWNER and ADMIN erase them. Anyone may send a published form.
 * - VIEWER reads only. A SYSTEM_ADMIN may do everything.
 * - Anyone, signed in or not, reads what `publishedPage` serves: the live revision of a
 *   PUBLISHED page of an active organization, and nothing else (no rule is needed here
 *   for it, because it never reads a draft; see providers/published-pages.ts).
 *
 * Every refusal concerning an organization is recorded in its audit trail (throttled).
 */
export const policy = {
  /** The signed-in user's id, or UNAUTHENTICATED. */
  requireViewer(ctx: CmsContext): string {
    if (!ctx.viewerId) throw new UnauthenticatedError();
    return ctx.viewerId;
  },

  /** The read rule on its own, for checks outside a request (each event of a live subscription). */
  canRead(access: ViewerAccess, organizationId: string): boolean {
    return access.isSystemAdmin || access.roles.has(organizationId);
  },

  /** The organizations whose pages the caller reads, for searches across them; null for all (a SYSTEM_ADMIN). */
  readableOrganizations(access: ViewerAccess): string[] | null {
    return access.isSystemAdmin ? null : [...access.roles.keys()];
  },

  async assertCanRead(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId);
  },

  async assertCanEditPages(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId, {
      roles: pageEditors,
      action: 'edit pages',
      message: 'Only OWNERs, ADMINs and MEMBERs can change pages.',
    });
  },

  async assertCanManageSite(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId, {
      roles: libraryManagers,
      action: 'change site settings',
      message: 'Only OWNERs and ADMINs can change the site settings.',
    });
  },

  async assertCanReadLeads(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId, {
      roles: pageEditors,
      action: 'read form submissions',
      message: 'Only OWNERs, ADMINs and MEMBERs can read form submissions.',
    });
  },

  async assertCanEraseLeads(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId, {
      roles: libraryManagers,
      action: 'delete form submissions',
      message: 'Only OWNERs and ADMINs can delete form submissions.',
    });
  },

  async assertCanManageLibrary(ctx: CmsContext, organizationId: string): Promise<void> {
    await assertRole(ctx, organizationId, {
      roles: libraryManagers,
      action: 'manage components and templates',
      message: 'Only OWNERs and ADMINs can change components and templates.',
    });
  },
};

/**
 * Passes a SYSTEM_ADMIN, and a member of the organization whose role is one of
 * `only.roles` (any role without `only`).
 */
async function assertRole(
  ctx: CmsContext,
  organizationId: string,
  only?: { roles: readonly OrganizationRole[]; action: string; message: string },
): Promise<void> {
  policy.requireViewer(ctx);
  const access = await ctx.access();
  if (access.isSystemAdmin) return;
  const role = access.roles.get(organizationId) ?? null;
  if (role === null) {
    throw await deny(ctx, organizationId, 'not a member', 'You are not a member of this organization.');
  }
  if (only && !only.roles.includes(role)) {
    throw await deny(ctx, organizationId, `${only.action} as ${role}`, only.message);
  }
}

async function deny(ctx: CmsContext, organizationId: string, reason: string, message: string): Promise<ForbiddenError> {
  await recordAccessDenied(ctx.prisma, ctx.audit, organizationId, reason, ctx.logger);
  return new ForbiddenError(message);
}
