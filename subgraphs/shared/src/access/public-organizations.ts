import type { Claims } from '../claims/claims.ts';
import { signedGraphQLRequest } from '../claims/signed-graphql-request.ts';

/** What identity tells anyone about an active organization (see `publicOrganization`). */
export interface PublicOrganization {
  id: string;
  name: string;
  slug: string;
}

const publicOrganizationQuery = `query PublicOrganization($slug: String!) {
  publicOrganization(slug: $slug) { id name slug }
}`;

interface PublicOrganizationData {
  publicOrganization: PublicOrganization | null;
}

/**
 * How a subgraph learns which organization a slug names (a public site's URL) without
 * the caller being a member: it asks identity, which owns organizations, as an anonymous
 * caller. Anonymous on purpose, whoever the real caller is: the answer must be the same
 * for everyone, so nothing a signed-in caller could see leaks into a public response.
 * The request id, address and user agent are kept so identity's logs and limits still
 * see the real request.
 */
export function createPublicOrganizationLookup(options: { identityUrl: string; signingSecret: string }) {
  return {
    /** The active organization with this slug, or null (unknown, inactive or malformed). */
    async bySlug(claims: Claims, slug: string): Promise<PublicOrganization | null> {
      const anonymous: Claims = { ...claims, actor: { type: 'anonymous' } };
      const result = await signedGraphQLRequest<PublicOrganizationData>({
        url: options.identityUrl,
        signingSecret: options.signingSecret,
        claims: anonymous,
        query: publicOrganizationQuery,
        variables: { slug },
      });
      if (result.errors?.length || !result.data) {
        throw new Error(`identity could not look up an organization slug: ${result.errors?.[0]?.message ?? 'no data'}`);
      }
      return result.data.publicOrganization;
    },
  };
}

export type PublicOrganizationLookup = ReturnType<typeof createPublicOrganizationLookup>;
