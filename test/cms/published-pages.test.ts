import { describe, expect, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage } from '../testkit/cms-seed.ts';
import { signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const publishedQuery = `query ($orgSlug: String!, $slug: String!) {
  publishedPage(orgSlug: $orgSlug, slug: $slug) {
    id kind slug locale title seo { title description image noIndex } document publishedAt revision
  }
}`;

/** What anyone, signed in or not, gets at an address. */
async function publicView(orgSlug: string, slug: string) {
  const response = await fixture.graph.client.request(publishedQuery, { orgSlug, slug });
  expect(response.errors).toBeUndefined();
  return response.data!.publishedPage;
}

describe('the public site', () => {
  test('reads a published page anonymously by organization slug and page slug', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, {
      orgId: organization.id,
      slug: 'docs/getting-started',
      title: 'Getting started',
      locale: 'pt-br',
      seo: { description: 'Start here', image: 'https://cdn.example.com/start.png' },
      document: documentOf(hero('top', { title: 'Start' })),
    });
    const published = await publishPage(member.client, page.id);
    expect(await publicView(organization.slug, 'docs/getting-started')).toEqual({
      id: page.id,
      kind: 'PAGE',
      slug: 'docs/getting-started',
      locale: 'pt-BR',
      title: 'Getting started',
      seo: { title: null, description: 'Start here', image: 'https://cdn.example.com/start.png', noIndex: null },
      document: documentOf(hero('top', { title: 'Start' })),
      publishedAt: published.publishedAt,
      revision: 1,
    });
    // Signed in or not, member or not: the same public answer.
    const outsider = await signUpUser(fixture.graph.client);
    const asOutsider = await outsider.client.data(publishedQuery, { orgSlug: organization.slug, slug: page.slug });
    expect(asOutsider.publishedPage.title).toBe('Getting started');
  });

  test('never sees a draft: not an unpublished page, nor the unpublished edits of a published one', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const draft = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a', { title: 'Secret' })) });
    expect(await publicView(organization.slug, draft.slug)).toBeNull();

    const live = await createPage(member.client, { orgId: organization.id, title: 'Live', document: documentOf(hero('a', { title: 'Public' })) });
    await publishPage(member.client, live.id);
    await updatePage(member.client, live.id, 1, {
      title: 'Unannounced',
      seo: { title: 'Unannounced' },
      document: documentOf(hero('a', { title: 'Unannounced' })),
    });
    const seen = await publicView(organization.slug, live.slug);
    expect(seen).toMatchObject({ title: 'Live', document: documentOf(hero('a', { title: 'Public' })), revision: 1 });
    expect(JSON.stringify(seen)).not.toContain('Unannounced');
  });

  test('sees nothing of an unpublished or archived page', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await publishPage(member.client, page.id);
    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: page.id });
    expect(await publicView(organization.slug, page.slug)).toBeNull();
    await publishPage(member.client, page.id);
    await member.client.data(`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: page.id });
    expect(await publicView(organization.slug, page.slug)).toBeNull();
  });

  test('sees nothing of an inactive organization, an unknown one or an unknown slug', async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await publishPage(member.client, page.id);
    expect(await publicView(organization.slug, page.slug)).not.toBeNull();
    expect(await publicView(organization.slug, 'no-such-page')).toBeNull();
    expect(await publicView('no-such-organization', page.slug)).toBeNull();
    expect(await publicView('Not A Slug!', page.slug)).toBeNull();

    await owner.client.data(`mutation ($id: ID!) { updateOrganization(id: $id, input: { active: false }) { id } }`, {
      id: organization.id,
    });
    expect(await publicView(organization.slug, page.slug)).toBeNull();
  });
});

describe("identity's publicOrganization", () => {
  test('tells anyone the id and name of an active organization, and nothing of an inactive one', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const query = `query ($slug: String!) { publicOrganization(slug: $slug) { id name slug } }`;
    const seen = await fixture.graph.client.data(query, { slug: organization.slug });
    expect(seen.publicOrganization).toEqual(organization);
    expect((await fixture.graph.client.data(query, { slug: 'nobody-here' })).publicOrganization).toBeNull();
    await owner.client.data(`mutation ($id: ID!) { updateOrganization(id: $id, input: { active: false }) { id } }`, {
      id: organization.id,
    });
    expect((await fixture.graph.client.data(query, { slug: organization.slug })).publicOrganization).toBeNull();
  });
});
