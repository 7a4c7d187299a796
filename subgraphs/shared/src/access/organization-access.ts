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
  if (claims.actor.type !== 'user') return noAccess;
  const result = await signedGraphQLRequest<AccessData>({
    url: options.identityUrl,
    signingSecret: options.signingSecret,
    claims,
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
