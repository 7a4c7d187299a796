import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { signUpUser, unique } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** Every cms entry point that reads an organization's content, with variables for it. */
function reads(orgId: string, pageId: string): [string, Record<string, unknown>][] {
  return [
    [`query ($id: ID!) { page(id: $id) { id } }`, { id: pageId }],
    [`query ($orgId: ID!) { pages(orgId: $orgId) { edges { node { id } } } }`, { orgId }],
    [`query ($pageId: ID!) { pageRevisions(pageId: $pageId) { edges { node { number } } } }`, { pageId }],
    [`query ($orgId: ID!) { components(orgId: $orgId) { edges { node { name } } } }`, { orgId }],
    [`query ($orgId: ID!) { templates(orgId: $orgId) { edges { node { name } } } }`, { orgId }],
  ];
}

/** Every mutation on pages, each against `pageId` (or creating one in `orgId`). */
function pageWrites(orgId: string, pageId: string): [string, Record<string, unknown>][] {
  return [
    [`mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`, { input: { orgId, slug: `w-${unique()}`, title: 'W' } }],
    [`mutation ($id: ID!) { updatePage(id: $id, input: { title: "W" }, version: 1) { id } }`, { id: pageId }],
    [`mutation ($id: ID!) { publishPage(id: $id) { id } }`, { id: pageId }],
    [`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: pageId }],
    [`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: pageId }],
    [`mutation ($pageId: ID!) { restorePageRevision(pageId: $pageId, number: 1) { id } }`, { pageId }],
  ];
}

/** The mutations on the component library and templates. */
function libraryWrites(orgId: string, componentId: string): [string, Record<string, unknown>][] {
  return [
    [`mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`, { input: { orgId, name: `C${unique()}`, propsSchema: { type: 'object' } } }],
    [`mutation ($id: ID!) { updateComponent(id: $id, input: { description: "x" }) { id } }`, { id: componentId }],
    [`mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`, { input: { orgId, name: 'T', document: documentOf() } }],
  ];
}

async function codesOf(client: GraphQLClient, operations: [string, Record<string, unknown>][]): Promise<string[][]> {
  return Promise.all(operations.map(async ([query, variables]) => errorCodes(await client.request(query, variables))));
}

async function organizationWithPublishedPage() {
  const setup = await cmsOrganization(fixture.graph.client);
  const page = await createPage(setup.member.client, { orgId: setup.organization.id, document: documentOf(hero('a')) });
  await publishPage(setup.member.client, page.id);
  const components = await setup.owner.client.data(
    `query ($orgId: ID!) { components(orgId: $orgId, first: 1) { edges { node { id } } } }`,
    { orgId: setup.organization.id },
  );
  return { ...setup, page, componentId: components.components.edges[0].node.id as string };
}

describe('someone who is not a member', () => {
  test('gets FORBIDDEN from every read and every write, and the refusal is recorded', async () => {
    const { organization, page, componentId } = await organizationWithPublishedPage();
    const outsider = await signUpUser(fixture.graph.client);
    const operations = [
      ...reads(organization.id, page.id),
      ...pageWrites(organization.id, page.id),
      ...libraryWrites(organization.id, componentId),
    ];
    for (const codes of await codesOf(outsider.client, operations)) expect(codes).toEqual(['FORBIDDEN']);
    const denied = await fixture.db.query(
      `SELECT count(*)::int AS n FROM audit.entries WHERE organization_id = $1 AND action = 'access.denied' AND actor_id = $2`,
      [organization.id, outsider.id],
    );
    // One a minute per actor and reason: the attempts are in the trail without flooding it.
    expect(denied.rows[0].n).toBe(1);
  });

  test('gets UNAUTHENTICATED when not signed in (publishedPage aside)', async () => {
    const { organization, page, componentId } = await organizationWithPublishedPage();
    const operations = [...reads(organization.id, page.id), ...pageWrites(organization.id, page.id), ...libraryWrites(organization.id, componentId)];
    for (const codes of await codesOf(fixture.graph.client, operations)) expect(codes).toEqual(['UNAUTHENTICATED']);
  });

  test('cannot see a page through its organization either', async () => {
    const { organization } = await organizationWithPublishedPage();
    const outsider = await signUpUser(fixture.graph.client);
    const response = await outsider.client.request(
      `query ($id: ID!) { organization(id: $id) { pages { edges { node { id } } } } }`,
      { id: organization.id },
    );
    expect(errorCodes(response)).toContain('FORBIDDEN');
  });
});

describe('a VIEWER', () => {
  test('reads drafts, revisions, components and templates, and writes nothing', async () => {
    const { organization, viewer, page, componentId } = await organizationWithPublishedPage();
    for (const codes of await codesOf(viewer.client, reads(organization.id, page.id))) expect(codes).toEqual([]);
    const writes = [...pageWrites(organization.id, page.id), ...libraryWrites(organization.id, componentId)];
    for (const codes of await codesOf(viewer.client, writes)) expect(codes).toEqual(['FORBIDDEN']);
    const stored = await fixture.db.query('SELECT count(*)::int AS n FROM cms.pages WHERE organization_id = $1', [organization.id]);
    expect(stored.rows[0].n).toBe(1);
  });
});

describe('a MEMBER', () => {
  test('writes pages but cannot change components or templates', async () => {
    const { organization, member, componentId } = await organizationWithPublishedPage();
    for (const codes of await codesOf(member.client, libraryWrites(organization.id, componentId))) {
      expect(codes).toEqual(['FORBIDDEN']);
    }
  });
});

describe('an ADMIN', () => {
  test('manages components and templates', async () => {
    const { organization, admin, componentId } = await organizationWithPublishedPage();
    for (const codes of await codesOf(admin.client, libraryWrites(organization.id, componentId))) expect(codes).toEqual([]);
  });
});

describe('a SYSTEM_ADMIN', () => {
  test('reads and writes the content of organizations they are not a member of', async () => {
    const { organization, page, componentId } = await organizationWithPublishedPage();
    const operator = await signUpUser(fixture.graph.client);
    await fixture.db.query('UPDATE identity.users SET is_system_admin = true WHERE id = $1', [operator.id]);
    for (const codes of await codesOf(operator.client, reads(organization.id, page.id))) expect(codes).toEqual([]);
    for (const codes of await codesOf(operator.client, libraryWrites(organization.id, componentId))) expect(codes).toEqual([]);
    const created = await createPage(operator.client, { orgId: organization.id });
    expect(created.status).toBe('DRAFT');
  });
});
