import type { Claims } from '../claims/claims.ts';
import { signedGraphQLRequest } from '../claims/signed-graphql-request.ts';

export type OrganizationRole = 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER';

/** What the caller may do across organizations, as identity (which owns it) says now. */
export interface ViewerAccess {
  isSystemAdmin: boolean;
  /** The caller's role in each organization they belong to. */
  roles: ReadonlyMap<string, OrganizationRole>;
}

const noAccess: ViewerAccess = { isSystemAdmin: false, roles: new Map() };

const accessQuery = `query ViewerAccess {
  me { isSystemAdmin memberships { role organization { id } } }
}`;

interface AccessData {
  me: { isSystemAdmin: boolean; memberships: { role: OrganizationRole; organization: { id: string } }[] } | null;
}

/**
 * How a subgraph other than identity learns the caller's roles: it asks identity, with
 * the caller's own signed claims, once per request (the answer is memoized for the
 * request). Roles are never copied into another domain's tables nor trusted from a
 * token, so a role change or a removal takes effect on the next request.
 */
export function createOrganizationAccess(options: { identityUrl: string; signingSecret: string }) {
  return {
    /** A function that loads the caller's access once, on first use in this request. */
    forRequest(claims: Claims): () => Promise<ViewerAccess> {
      let loaded: Promise<ViewerAccess> | undefined;
      return () => {
        loaded ??= load(options, claims);
        return loaded;
      };
    },
  };
}

export type OrganizationAccessClient = ReturnType<typeof createOrganizationAccess>;

async function load(
  options: { identityUrl: string; signingSecret: string },
  claims: Claims,
): Promise<ViewerAccess> {
  const { actor } = claims;
  // A client acts for its one organization, never as anyone's member: what it may do
  // there is bounded by its scopes (checked on every field), not by a person's role.
  if (actor.type === 'client') return { isSystemAdmin: false, roles: new Map([[actor.organizationId, 'ADMIN']]) };
  if (actor.type !== 'user') return noAccess;
  const result = await signedGraphQLRequest<AccessData>({
    url: options.identityUrl,
    signingSecret: options.signingSecret,
    // Through an OAuth app, a user can do at most what they can do themself: ask identity
    // what that is as the user (the app's scopes do not cover `me`).
    claims: { ...claims, actor: { type: 'user', userId: actor.userId } },
    query: accessQuery,
  });
  if (result.errors?.length || !result.data) {
    throw new Error(`identity could not tell the caller's access: ${result.errors?.[0]?.message ?? 'no data'}`);
  }
  const me = result.data.me;
  if (!me) return noAccess;
  return {
    isSystemAdmin: me.isSystemAdmin,
    roles: new Map(me.memberships.map((membership) => [membership.organization.id, membership.role])),
  };
}
