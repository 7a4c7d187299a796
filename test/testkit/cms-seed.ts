import type { GraphQLClient } from './client.ts';
import { addMember, createOrganization, signUpUser, unique, type SignedUpUser } from './seed.ts';

/** The props schema of the `Hero` component most cms tests build pages with. */
export const heroSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 120 },
    subtitle: { type: 'string', maxLength: 300 },
    image: { type: 'string', format: 'uri', maxLength: 2048 },
  },
  required: ['title'],
  additionalProperties: false,
};

/** The props schema of `Section`, a container. */
export const sectionSchema = {
  type: 'object',
  properties: { background: { enum: ['light', 'dark'] } },
  additionalProperties: false,
};

/** A tree of nodes `{ id, component, props, children }` under the root. */
export function documentOf(...children: unknown[]) {
  return { type: 'root', children };
}

export function hero(id: string, props: Record<string, unknown> = { title: `Hero ${id}` }, children: unknown[] = []) {
  return { id, component: 'Hero', props, children };
}

export function section(id: string, children: unknown[] = [], props: Record<string, unknown> = {}) {
  return { id, component: 'Section', props, children };
}

export const pageFields = `id kind slug title status locale version publishedAt revisionCount
  seo { title description image noIndex } document`;

export async function createComponent(
  client: GraphQLClient,
  orgId: string,
  name: string,
  propsSchema: unknown,
): Promise<{ id: string; name: string; version: number }> {
  const data = await client.data(
    `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id name version } }`,
    { input: { orgId, name, propsSchema } },
  );
  return data.createComponent;
}

export async function createPage(
  client: GraphQLClient,
  input: Record<string, unknown> & { orgId: string },
): Promise<Record<string, any>> {
  const data = await client.data(
    `mutation ($input: CreatePageInput!) { createPage(input: $input) { ${pageFields} } }`,
    { input: { slug: `page-${unique()}`, title: 'A page', ...input } },
  );
  return data.createPage;
}

export async function publishPage(client: GraphQLClient, id: string): Promise<Record<string, any>> {
  const data = await client.data(`mutation ($id: ID!) { publishPage(id: $id) { ${pageFields} } }`, { id });
  return data.publishPage;
}

export async function updatePage(
  client: GraphQLClient,
  id: string,
  version: number,
  input: Record<string, unknown>,
): Promise<Record<string, any>> {
  const data = await client.data(
    `mutation ($id: ID!, $input: UpdatePageInput!, $version: Int!) {
      updatePage(id: $id, input: $input, version: $version) { ${pageFields} }
    }`,
    { id, input, version },
  );
  return data.updatePage;
}

export interface CmsOrganization {
  organization: { id: string; slug: string; name: string };
  owner: SignedUpUser;
  admin: SignedUpUser;
  member: SignedUpUser;
  viewer: SignedUpUser;
}

/**
 * An organization with one member of each role and a component library of `Hero` and
 * `Section`, ready for pages.
 */
export async function cmsOrganization(client: GraphQLClient): Promise<CmsOrganization> {
  const [owner, admin, member, viewer] = await Promise.all([
    signUpUser(client, { displayName: 'Olivia Owner' }),
    signUpUser(client),
    signUpUser(client, { displayName: 'Max Member' }),
    signUpUser(client),
  ]);
  const organization = await createOrganization(owner);
  await addMember(owner, organization.id, admin, 'ADMIN');
  await addMember(owner, organization.id, member, 'MEMBER');
  await addMember(owner, organization.id, viewer, 'VIEWER');
  await createComponent(owner.client, organization.id, 'Hero', heroSchema);
  await createComponent(owner.client, organization.id, 'Section', sectionSchema);
  return { organization, owner, admin, member, viewer };
}
