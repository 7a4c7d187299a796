import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { requestStatements } from '../testkit/graph.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const pagesQuery = `query ($orgId: ID!, $filter: PageFilter, $first: Int, $after: String) {
  pages(orgId: $orgId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

describe('across subgraphs', () => {
  test('a page resolves its organization and its creator from identity in one query', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id });
    const data = await member.client.data(
      `query ($id: ID!) { page(id: $id) { title organization { id name slug } createdBy { id displayName } } }`,
      { id: page.id },
    );
    expect(data.page).toEqual({
      title: 'A page',
      organization: { id: organization.id, name: organization.name, slug: organization.slug },
      createdBy: { id: member.id, displayName: 'Max Member' },
    });
  });

  test('an organization lists its pages, contributed by the cms', async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, title: 'Listed' });
    const data = await owner.client.data(
      `query ($id: ID!) { organization(id: $id) { name pages { edges { node { id title createdBy { displayName } } } } } }`,
      { id: organization.id },
    );
    expect(data.organization).toEqual({
      name: organization.name,
      pages: { edges: [{ node: { id: page.id, title: 'Listed', createdBy: { displayName: 'Max Member' } } }] },
    });
  });
});

describe('lists', () => {
  test('pages come newest first, filtered by kind, status, locale and title, in pages of at most 100', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const titles = ['Alpha post', 'Beta page', 'Gamma post', 'Delta page', 'Epsilon post'];
    const created = [];
    for (const [index, title] of titles.entries()) {
      created.push(
        await createPage(member.client, {
          orgId: organization.id,
          title,
          kind: title.endsWith('post') ? 'POST' : 'PAGE',
          locale: index === 0 ? 'de' : 'en',
        }),
      );
    }
    await publishPage(member.client, created[1]!.id);
    const list = async (variables: Record<string, unknown>) =>
      (await member.client.data(pagesQuery, { orgId: organization.id, ...variables })).pages;
    const titlesOf = (connection: any) => connection.edges.map((edge: any) => edge.node.title);

    expect(titlesOf(await list({}))).toEqual([...titles].reverse());
    expect(titlesOf(await list({ filter: { kind: 'POST' } }))).toEqual(['Epsilon post', 'Gamma post', 'Alpha post']);
    expect(titlesOf(await list({ filter: { status: 'PUBLISHED' } }))).toEqual(['Beta page']);
    expect(titlesOf(await list({ filter: { locale: 'DE' } }))).toEqual(['Alpha post']);
    expect(titlesOf(await list({ filter: { search: 'ta P' } }))).toEqual(['Delta page', 'Beta page']);

    const first = await list({ first: 2 });
    expect(titlesOf(first)).toEqual(['Epsilon post', 'Delta page']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await list({ first: 2, after: first.pageInfo.endCursor });
    expect(titlesOf(second)).toEqual(['Gamma post', 'Beta page']);
    const last = await list({ first: 2, after: second.pageInfo.endCursor });
    expect(titlesOf(last)).toEqual(['Alpha post']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(titlesOf(await list({ first: 100 }))).toHaveLength(5);
  });

  test('refuse more than 100 at a time, a negative size and a cursor they did not give', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(owner.client, { orgId: organization.id });
    const queries: [string, Record<string, unknown>][] = [
      [pagesQuery, { orgId: organization.id }],
      [`query ($orgId: ID!, $first: Int, $after: String) { components(orgId: $orgId, first: $first, after: $after) { edges { node { id } } } }`, { orgId: organization.id }],
      [`query ($orgId: ID!, $first: Int, $after: String) { templates(orgId: $orgId, first: $first, after: $after) { edges { node { id } } } }`, { orgId: organization.id }],
      [`query ($pageId: ID!, $first: Int, $after: String) { pageRevisions(pageId: $pageId, first: $first, after: $after) { edges { node { number } } } }`, { pageId: page.id }],
    ];
    for (const [query, variables] of queries) {
      for (const bad of [{ first: 101 }, { first: -1 }, { after: 'not-a-cursor' }]) {
        const response = await owner.client.request(query, { ...variables, ...bad });
        expect(errorCodes(response), `${query} ${JSON.stringify(bad)}`).toEqual(['BAD_USER_INPUT']);
      }
    }
  });

  test('components come by name and page with cursors', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const query = `query ($orgId: ID!, $after: String) {
      components(orgId: $orgId, first: 1, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } }
    }`;
    const first = (await owner.client.data(query, { orgId: organization.id })).components;
    const second = (await owner.client.data(query, { orgId: organization.id, after: first.pageInfo.endCursor })).components;
    expect([first.edges[0].node.name, second.edges[0].node.name]).toEqual(['Hero', 'Section']);
    expect([first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([true, false]);
  });

  test('a list of pages costs the same number of SQL statements for 3 pages or 30', async () => {
    const statementsFor = async (count: number) => {
      const { organization, owner } = await cmsOrganization(fixture.graph.client);
      const template = (
        await owner.client.data(`mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`, {
          input: { orgId: organization.id, name: 'T', document: documentOf(hero('a')) },
        })
      ).createTemplate;
      for (let index = 0; index < count; index++) {
        const page = await createPage(owner.client, { orgId: organization.id, templateId: template.id });
        await publishPage(owner.client, page.id);
      }
      fixture.graph.statements.length = 0;
      const data = await owner.client.data(
        `query ($orgId: ID!) {
          pages(orgId: $orgId, first: 50) {
            edges { node { id revisionCount template { id } publishedRevision { number publishedBy { id } } } }
          }
        }`,
        { orgId: organization.id },
      );
      expect(data.pages.edges).toHaveLength(count);
      expect(data.pages.edges[0].node).toMatchObject({ revisionCount: 1, template: { id: template.id }, publishedRevision: { number: 1 } });
      // Job workers poll on their own schedule; they are not this query's.
      return requestStatements(fixture.graph).length;
    };
    const few = await statementsFor(3);
    const many = await statementsFor(30);
    expect(many).toBe(few);
    // Identity telling the viewer's roles (user, memberships, organizations), then the
    // pages, their revision counts, their live revisions and their templates.
    expect(many).toBeLessThanOrEqual(7);
  });
});
