import type { GraphQLClient } from './client.ts';
import { mapConcurrently } from './concurrency.ts';
import { addMember, createOrganization, range, signUp, type Role, type SeededUser } from './seed.ts';

/** A page ready for live editing, and the people who edit and watch it. */
export interface LivePage {
  organizationId: string;
  pageId: string;
  /** The page's version when seeded. */
  version: number;
  /** Owns the organization. */
  owner: SeededUser;
  /** MEMBERs, who may edit: the `i`th has Hero node `i` of the document to itself. */
  editors: SeededUser[];
  /** VIEWERs, who may read the page and subscribe to its events, not edit it. */
  viewers: SeededUser[];
}

/**
 * The props schema of `Hero`, as the cms tests use it: a title of at most 120 characters,
 * which every edit checks.
 */
const heroSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 120 },
    subtitle: { type: 'string', maxLength: 300 },
  },
  required: ['title'],
  additionalProperties: false,
};

/** Sign-ups in flight: argon2 keeps the 4 libuv threads busy with a few (see seed.ts). */
const signUpConcurrency = 8;

/**
 * Seeds through the public API, as real users would: an owner, an organization with a
 * `Hero` component, `editors` MEMBERs and `viewers` VIEWERs, and a page whose document
 * holds one Hero node per editor, so that editors retitling their own node never edit
 * the same value at once.
 */
export async function seedLivePage(
  gateway: GraphQLClient,
  counts: { editors: number; viewers: number },
): Promise<LivePage> {
  const owner = await signUp(gateway, 'page-owner', 'Paige Owner');
  const organization = await createOrganization(owner, 'Live editing', 'live-editing');
  const people = [
    ...range(counts.editors).map((index) => ({ handle: `editor-${index + 1}`, name: `Editor ${index + 1}`, role: 'MEMBER' as Role })),
    ...range(counts.viewers).map((index) => ({ handle: `viewer-${index + 1}`, name: `Viewer ${index + 1}`, role: 'VIEWER' as Role })),
  ];
  const members = await mapConcurrently(people, signUpConcurrency, async ({ handle, name, role }) => {
    const member = await signUp(gateway, handle, name);
    await addMember(owner, organization.id, member.email, role);
    return member;
  });
  await owner.client.data(
    `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`,
    { input: { orgId: organization.id, name: 'Hero', propsSchema: heroSchema } },
  );
  const document = {
    type: 'root',
    children: range(counts.editors).map((index) => ({
      id: `hero-${index + 1}`,
      component: 'Hero',
      props: { title: `Hero ${index + 1}` },
      children: [],
    })),
  };
  const { createPage } = await owner.client.data<{ createPage: { id: string; version: number } }>(
    `mutation ($input: CreatePageInput!) { createPage(input: $input) { id version } }`,
    { input: { orgId: organization.id, slug: 'live', title: 'Edited live', document } },
  );
  return {
    organizationId: organization.id,
    pageId: createPage.id,
    version: createPage.version,
    owner,
    editors: members.slice(0, counts.editors),
    viewers: members.slice(counts.editors),
  };
}
