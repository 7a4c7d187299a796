import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from './client.ts';

/** A unique suffix, so tests sharing the run's database never collide. */
export function unique(): string {
  return randomUUID().slice(0, 8);
}

export const strongPassword = 'violet-harbor-73-quietly-sings';

export interface SignedUpUser {
  id: string;
  email: string;
  displayName: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** A client of the gateway signed in as this user. */
  client: GraphQLClient;
}

export async function signUpUser(
  client: GraphQLClient,
  overrides: Partial<{ email: string; displayName: string; password: string }> = {},
): Promise<SignedUpUser> {
  const input = {
    email: overrides.email ?? `user-${unique()}@example.com`,
    displayName: overrides.displayName ?? `User ${unique()}`,
    password: overrides.password ?? strongPassword,
  };
  const data = await client.data<{
    signUp: { accessToken: string; refreshToken: string; user: { id: string } };
  }>(
    `mutation ($input: SignUpInput!) {
      signUp(input: $input) { accessToken refreshToken user { id } }
    }`,
    { input },
  );
  return {
    id: data.signUp.user.id,
    ...input,
    accessToken: data.signUp.accessToken,
    refreshToken: data.signUp.refreshToken,
    client: client.as(data.signUp.accessToken),
  };
}

export async function createOrganization(
  owner: SignedUpUser,
  input: Partial<{ name: string; slug: string; parentId: string }> = {},
): Promise<{ id: string; slug: string; name: string }> {
  const suffix = unique();
  const data = await owner.client.data<{ createOrganization: { id: string; slug: string; name: string } }>(
    `mutation ($input: CreateOrganizationInput!) {
      createOrganization(input: $input) { id slug name }
    }`,
    { input: { name: `Org ${suffix}`, slug: `org-${suffix}`, ...input } },
  );
  return data.createOrganization;
}

export async function addMember(
  manager: SignedUpUser,
  orgId: string,
  member: { email: string },
  role: 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER',
): Promise<void> {
  await manager.client.data(
    `mutation ($orgId: ID!, $email: String!, $role: Role!) {
      addMember(orgId: $orgId, email: $email, role: $role) { role }
    }`,
    { orgId, email: member.email, role },
  );
}
