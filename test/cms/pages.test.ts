import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import {
  cmsOrganization,
  createPage,
  documentOf,
  hero,
  pageFields,
  publishPage,
  section,
  updatePage,
} from '../testkit/cms-seed.ts';
import { unique } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const revisionsQuery = `query ($pageId: ID!, $first: Int, $after: String) {
  pageRevisions(pageId: $pageId, first: $first, after: $after) {
    edges { cursor node { number title version document publishedBy { id } page { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const restoreMutation = `mutation ($pageId: ID!, $number: Int!) {
  restorePageRevision(pageId: $pageId, number: $number) { ${pageFields} }
}`;

async function pageRows(slug: string): Promise<number> {
  const result = await fixture.db.query('SELECT count(*)::int AS n FROM cms.pages WHERE slug = $1', [slug]);
  return result.rows[0].n;
}

describe('creating and publishing pages', () => {
  test('a MEMBER creates a draft, publishes it twice, and each publish keeps a revision', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const created = await createPage(member.client, {
      orgId: organization.id,
      kind: 'POST',
      slug: `blog/launch-${unique()}`,
      title: '  Launch day  ',
      locale: 'en-us',
      seo: { title: 'Launch', noIndex: true },
      document: documentOf(section('s1', [hero('h1', { title: 'Hello' })], { background: 'dark' })),
    });
    expect(created).toMatchObject({
      kind: 'POST',
      title: 'Launch day',
      status: 'DRAFT',
      locale: 'en-US',
      version: 1,
      publishedAt: null,
      revisionCount: 0,
      seo: { title: 'Launch', description: null, image: null, noIndex: true },
      document: documentOf(
        { id: 's1', component: 'Section', props: { background: 'dark' }, children: [hero('h1', { title: 'Hello' })] },
      ),
    });

    const first = await publishPage(member.client, created.id);
    expect(first).toMatchObject({ status: 'PUBLISHED', revisionCount: 1, version: 1 });
    expect(Date.parse(first.publishedAt)).not.toBeNaN();

    const edited = await updatePage(member.client, created.id, 1, {
      title: 'Launch day, again',
      document: documentOf(hero('h1', { title: 'Hello again' })),
    });
    expect(edited).toMatchObject({ version: 2, status: 'PUBLISHED', title: 'Launch day, again' });
    const second = await publishPage(member.client, created.id);
    expect(second).toMatchObject({ status: 'PUBLISHED', revisionCount: 2, version: 2 });

    const revisions = (await member.client.data(revisionsQuery, { pageId: created.id })).pageRevisions;
    expect(revisions.edges.map((edge: any) => [edge.node.number, edge.node.title, edge.node.version])).toEqual([
      [2, 'Launch day, again', 2],
      [1, 'Launch day', 1],
    ]);
    expect(revisions.edges[0].node.publishedBy).toEqual({ id: member.id });
    expect(revisions.edges[1].node.page).toEqual({ id: created.id });
  });

  test('restoring a revision makes it the draft as a new version; the live page stays until published', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(owner.client, {
      orgId: organization.id,
      title: 'First',
      document: documentOf(hero('h1', { title: 'One' })),
    });
    await publishPage(owner.client, page.id);
    await updatePage(owner.client, page.id, 1, { title: 'Second', document: documentOf(hero('h1', { title: 'Two' })) });
    await publishPage(owner.client, page.id);

    const restored = (await owner.client.data(restoreMutation, { pageId: page.id, number: 1 })).restorePageRevision;
    expect(restored).toMatchObject({
      title: 'First',
      version: 3,
      status: 'PUBLISHED',
      revisionCount: 2,
      document: documentOf(hero('h1', { title: 'One' })),
    });
    const live = await fixture.graph.client.data(
      `query ($o: String!, $s: String!) { publishedPage(orgSlug: $o, slug: $s) { title revision } }`,
      { o: organization.slug, s: page.slug },
    );
    expect(live.publishedPage).toEqual({ title: 'Second', revision: 2 });

    const missing = await owner.client.request(restoreMutation, { pageId: page.id, number: 9 });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });

  test('a page created from a template starts with a copy of its document', async () => {
    const { organization, admin, member } = await cmsOrganization(fixture.graph.client);
    const template = (
      await admin.client.data(
        `mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id name document } }`,
        { input: { orgId: organization.id, name: 'Landing', document: documentOf(hero('top', { title: 'Welcome' })) } },
      )
    ).createTemplate;
    const page = await member.client.data(
      `mutation ($input: CreatePageInput!) { createPage(input: $input) { document template { id name } } }`,
      { input: { orgId: organization.id, slug: `from-template-${unique()}`, title: 'Landing', templateId: template.id } },
    );
    expect(page.createPage).toEqual({ document: template.document, template: { id: template.id, name: 'Landing' } });

    const both = await member.client.request(
      `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`,
      { input: { orgId: organization.id, slug: `both-${unique()}`, title: 'Both', templateId: template.id, document: documentOf() } },
    );
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
    expect(both.errors![0]!.extensions!.field).toBe('input.templateId');
  });

  test('a page starts with an empty tree when given neither a document nor a template', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id });
    expect(page.document).toEqual({ type: 'root', children: [] });
  });
});

describe('slugs', () => {
  test('are unique in an organization per locale: a second page with the slug and locale is a CONFLICT and writes nothing', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const slug = `pricing-${unique()}`;
    await createPage(member.client, { orgId: organization.id, slug });
    const again = await member.client.request(
      `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`,
      { input: { orgId: organization.id, slug, title: 'Duplicate' } },
    );
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions!.field).toBe('input.slug');
    expect(await pageRows(slug)).toBe(1);

    const other = await createPage(member.client, { orgId: organization.id });
    const renamed = await member.client.request(
      `mutation ($id: ID!, $slug: String!) { updatePage(id: $id, input: { slug: $slug }, version: 1) { slug } }`,
      { id: other.id, slug },
    );
    expect(errorCodes(renamed)).toEqual(['CONFLICT']);
    expect(await pageRows(slug)).toBe(1);
  });

  test('may repeat across organizations', async () => {
    const first = await cmsOrganization(fixture.graph.client);
    const second = await cmsOrganization(fixture.graph.client);
    const slug = `about-${unique()}`;
    await createPage(first.member.client, { orgId: first.organization.id, slug });
    await createPage(second.member.client, { orgId: second.organization.id, slug });
    expect(await pageRows(slug)).toBe(2);
  });

  test('must be lower-case path segments', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    for (const slug of ['Pricing', 'a//b', '-x', 'a b', '/lead']) {
      const response = await member.client.request(
        `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`,
        { input: { orgId: organization.id, slug, title: 'Bad slug' } },
      );
      expect(errorCodes(response), slug).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('input.slug');
    }
  });
});

describe('editing with versions', () => {
  test('a stale version is a CONFLICT with the current version, and writes nothing', async () => {
    const { organization, member, admin } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await updatePage(member.client, page.id, 1, { document: documentOf(hero('a', { title: 'Mine' })) });

    const stale = await admin.client.request(
      `mutation ($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input, version: 1) { version } }`,
      { id: page.id, input: { title: 'Theirs', document: documentOf(hero('a', { title: 'Theirs' })) } },
    );
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions!.currentVersion).toBe(2);
    const stored = await fixture.db.query('SELECT title, version, document FROM cms.pages WHERE id = $1', [page.id]);
    expect(stored.rows[0]).toMatchObject({ title: 'A page', version: 2, document: documentOf(hero('a', { title: 'Mine' })) });
  });

  test('only a changed document adds one to the version', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const document = documentOf(hero('a'));
    const page = await createPage(member.client, { orgId: organization.id, document });
    const retitled = await updatePage(member.client, page.id, 1, { title: 'Renamed', seo: { description: 'About us' } });
    expect(retitled).toMatchObject({ version: 1, title: 'Renamed', seo: { description: 'About us' } });
    const same = await updatePage(member.client, page.id, 1, { document });
    expect(same.version).toBe(1);
    const changed = await updatePage(member.client, page.id, 1, { document: documentOf(hero('b')) });
    expect(changed.version).toBe(2);
  });

  test('null is refused rather than taken as "clear"', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id });
    const response = await member.client.request(
      `mutation ($id: ID!) { updatePage(id: $id, input: { title: null }, version: 1) { title } }`,
      { id: page.id },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.title');
  });
});

describe('unpublishing and archiving', () => {
  test('move a page between PUBLISHED, DRAFT and ARCHIVED; an archived page is read-only', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    const status = async (mutation: string) =>
      member.client.request(`mutation ($id: ID!) { ${mutation}(id: $id) { status publishedAt } }`, { id: page.id });

    expect(errorCodes(await status('unpublishPage'))).toEqual(['CONFLICT']);
    await publishPage(member.client, page.id);
    expect((await status('unpublishPage')).data!.unpublishPage).toEqual({ status: 'DRAFT', publishedAt: null });
    expect((await status('archivePage')).data!.archivePage).toEqual({ status: 'ARCHIVED', publishedAt: null });
    expect(errorCodes(await status('archivePage'))).toEqual(['CONFLICT']);
    expect(errorCodes(await status('publishPage'))).toEqual(['CONFLICT']);
    const edit = await member.client.request(
      `mutation ($id: ID!) { updatePage(id: $id, input: { title: "No" }, version: 1) { title } }`,
      { id: page.id },
    );
    expect(errorCodes(edit)).toEqual(['CONFLICT']);
    expect((await status('unpublishPage')).data!.unpublishPage).toEqual({ status: 'DRAFT', publishedAt: null });
  });
});
