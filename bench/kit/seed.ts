import type { GraphQLClient } from './client.ts';
import { mapConcurrently } from './concurrency.ts';

/** Meets the sign-up password rules (length and zxcvbn strength). */
export const benchPassword = 'violet-harbor-73-quietly-sings';

export type Role = 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER';

export interface SeededUser {
  id: string;
  email: string;
  /** A client of the gateway signed in as this user. */
  client: GraphQLClient;
}

export interface SeededOrganizations {
  /** Owns, and so belongs to, every organization. */
  viewer: SeededUser;
  organizations: { id: string; slug: string }[];
}

/**
 * Sign-up hashes the password with argon2 (tens of milliseconds of work on the libuv
 * thread pool, 4 threads by default), so a few requests in flight keep it busy; more
 * would only queue.
 */
export const seedConcurrency = 8;

/**
 * Seeds through the public API, as real users would: a viewer who creates
 * `organizations` organizations, and in each, `membersPerOrganization - 1` more
 * signed-up users added with addMember (so each has `membersPerOrganization` members,
 * the viewer included). Each member belongs to one organization only.
 */
export async function seedOrganizations(
  gateway: GraphQLClient,
  counts: { organizations: number; membersPerOrganization: number },
): Promise<SeededOrganizations> {
  const viewer = await signUp(gateway, 'viewer', 'Dana Viewer');
  const organizations = await mapConcurrently(range(counts.organizations), seedConcurrency, (o) =>
    createOrganization(viewer, `Organization ${o + 1}`, `org-${o + 1}`),
  );
  const memberSlots = organizations.flatMap((organization, o) =>
    range(counts.membersPerOrganization - 1).map((m) => ({ organization, o, m })),
  );
  await mapConcurrently(memberSlots, seedConcurrency, async ({ organization, o, m }) => {
    const member = await signUp(gateway, `member-${o + 1}-${m + 1}`, `Member ${o + 1}.${m + 1}`);
    await addMember(viewer, organization.id, member.email, roleFor(m));
  });
  return { viewer, organizations };
}

/** A realistic spread of roles: a couple of admins, a few read-only viewers, the rest members. */
export function roleFor(memberIndex: number): Role {
  if (memberIndex < 2) return 'ADMIN';
  if (memberIndex % 6 === 5) return 'VIEWER';
  return 'MEMBER';
}

/** Signs up `<handle>@bench.example.com` through the API (argon2: tens of milliseconds). */
export async function signUp(gateway: GraphQLClient, handle: string, displayName: string): Promise<SeededUser> {
  const email = `${handle}@bench.example.com`;
  const data = await gateway.data<{ signUp: { accessToken: string; user: { id: string } } }>(
    `mutation ($input: SignUpInput!) {
      signUp(input: $input) { accessToken user { id } }
    }`,
    { input: { email, displayName, password: benchPassword } },
  );
  return { id: data.signUp.user.id, email, client: gateway.as(data.signUp.accessToken) };
}

/** Creates an organization through the API, owned (and so manageable) by `owner`. */
export async function createOrganization(
  owner: SeededUser,
  name: string,
  slug: string,
): Promise<{ id: string; slug: string }> {
  const data = await owner.client.data<{ createOrganization: { id: string; slug: string } }>(
    `mutation ($input: CreateOrganizationInput!) {
      createOrganization(input: $input) { id slug }
    }`,
    { input: { name, slug } },
  );
  return data.createOrganization;
}

export async function addMember(manager: SeededUser, orgId: string, email: string, role: Role): Promise<void> {
  await manager.client.data(
    `mutation ($orgId: ID!, $email: String!, $role: Role!) {
      addMember(orgId: $orgId, email: $email, role: $role) { role }
    }`,
    { orgId, email, role },
  );
}

export function range(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}
