import { beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { readyImage, png, startUpload } from '../testkit/media-seed.ts';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// Uploads are processed by the job runner of any graph on the database: this file's graph
// must be the only one on its own, or another file's could take its jobs.
const fixture = useTestGraphOnOwnDatabase();

const seoFields = `seo {
  title description image imageId imageUrl canonicalUrl noIndex
  openGraph { title description type imageId imageUrl }
  twitter { card title description imageId imageUrl site creator }
}`;

const pageQuery = `query ($id: ID!) { page(id: $id) { id ${seoFields} } }`;
const publishedQuery = `query ($orgSlug: String!, $slug: String!) { publishedPage(orgSlug: $orgSlug, slug: $slug) { id ${seoFields} } }`;
const createMutation = `mutation ($input: CreatePageInput!) { createPage(input: $input) { id ${seoFields} } }`;
const updateMutation = `mutation ($id: ID!, $input: UpdatePageInput!, $version: Int!) { updatePage(id: $id, input: $input, version: $version) { id } }`;

async function publicSeo(orgSlug: string, slug: string) {
  const { publishedPage } = await fixture.graph.client.data(publishedQuery, { orgSlug, slug });
  return publishedPage?.seo ?? null;
}

async function storedSeo(id: string): Promise<unknown> {
  const { rows } = await fixture.db.query('SELECT seo FROM cms.pages WHERE id = $1', [id]);
  return rows[0].seo;
}

// Uploads wait for background processing, which a loaded machine slows down.
const uploadsTimeout = { timeout: 120_000 };

describe('page SEO', uploadsTimeout, () => {
  let site: CmsOrganization;
  let image: { id: string };

  beforeAll(async () => {
    site = await cmsOrganization(fixture.graph.client);
    image = await readyImage(site.member, site.organization.id);
  }, uploadsTimeout.timeout);

  test('every field round-trips through the draft, and reaches the public page only when published', async () => {
    const page = await createPage(site.member.client, { orgId: site.organization.id, seo: { title: 'Before' }, document: documentOf(hero('top')) });
    await publishPage(site.member.client, page.id);
    const full = {
      title: 'Pricing',
      description: 'What it costs',
      image: 'https://cdn.example.com/share.png',
      canonicalUrl: 'https://acme.example/pricing',
      noIndex: false,
      openGraph: { title: 'Pricing at Acme', description: 'Plans', type: 'ARTICLE' },
      twitter: { card: 'SUMMARY_LARGE_IMAGE', title: 'Pricing', description: 'Plans', site: '@acme', creator: '@ada_l' },
    };
    await updatePage(site.member.client, page.id, page.version, { seo: full });
    const expected = {
      ...full,
      imageId: null,
      imageUrl: 'https://cdn.example.com/share.png',
      openGraph: { ...full.openGraph, imageId: null, imageUrl: null },
      twitter: { ...full.twitter, imageId: null, imageUrl: null },
    };
    expect((await site.member.client.data(pageQuery, { id: page.id })).page.seo).toEqual(expected);
    // Only what was given is stored: no nulls in the JSON.
    expect(await storedSeo(page.id)).toEqual(full);

    const before = await publicSeo(site.organization.slug, page.slug);
    expect(before).toMatchObject({ title: 'Before', canonicalUrl: null, openGraph: null, twitter: null });
    await publishPage(site.member.client, page.id);
    expect(await publicSeo(site.organization.slug, page.slug)).toEqual(expected);
  });

  test('an image asset is served as its public URL on the published page, and not on the draft', async () => {
    const page = await createPage(site.member.client, {
      orgId: site.organization.id,
      seo: {
        image: 'https://cdn.example.com/fallback.png',
        imageId: image.id,
        openGraph: { imageId: image.id },
        twitter: { card: 'SUMMARY', imageId: image.id },
      },
      document: documentOf(hero('top')),
    });
    const draft = (await site.member.client.data(pageQuery, { id: page.id })).page.seo;
    expect(draft).toMatchObject({ imageUrl: 'https://cdn.example.com/fallback.png', openGraph: { imageId: image.id, imageUrl: null }, twitter: { imageId: image.id, imageUrl: null } });

    await publishPage(site.member.client, page.id);
    const published = await publicSeo(site.organization.slug, page.slug);
    expect(published.imageId).toBe(image.id);
    expect(published.imageUrl).toMatch(/^https?:\/\//);
    expect(published.imageUrl).not.toBe('https://cdn.example.com/fallback.png');
    expect(published.openGraph.imageUrl).toBe(published.imageUrl);
    expect(published.twitter.imageUrl).toBe(published.imageUrl);
    // Anyone can fetch it: the image's bytes.
    const fetched = await fetch(published.imageUrl);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toMatch(/^image\//);
  });

  test("an image a page's SEO names is among the asset's usages, and cannot be deleted while the page is live", async () => {
    const shared = await readyImage(site.member, site.organization.id);
    const page = await createPage(site.member.client, { orgId: site.organization.id, seo: { openGraph: { imageId: shared.id } }, document: documentOf(hero('top')) });
    const draft = await createPage(site.member.client, { orgId: site.organization.id, seo: { imageId: shared.id } });
    await publishPage(site.member.client, page.id);
    const { mediaAsset } = await site.viewer.client.data(`query ($id: ID!) { mediaAsset(id: $id) { usages { id } } }`, { id: shared.id });
    expect(mediaAsset.usages).toEqual([{ id: draft.id }, { id: page.id }]);
    const refused = await site.member.client.request(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: shared.id });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.pages).toEqual([page.id]);
    await site.member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: page.id });
    expect((await site.member.client.data(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: shared.id })).deleteMediaAsset).toBe(true);
  });

  test("a PENDING asset, another organization's and an unknown id are refused, naming the field, and nothing is written", async () => {
    const pending = await startUpload(site.member, site.organization.id, await png());
    const stranger = await signUpUser(fixture.graph.client);
    const elsewhere = await createOrganization(stranger);
    const theirs = await readyImage(stranger, elsewhere.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ imageId: pending.asset.id }, 'input.seo.imageId'],
      [{ openGraph: { imageId: theirs.id } }, 'input.seo.openGraph.imageId'],
      [{ imageId: image.id, twitter: { card: 'SUMMARY', imageId: '0190f0c4-0000-7000-8000-000000000000' } }, 'input.seo.twitter.imageId'],
    ];
    const existing = await createPage(site.member.client, { orgId: site.organization.id, seo: { title: 'Kept' } });
    for (const [seo, field] of cases) {
      const created = await site.member.client.request(createMutation, { input: { orgId: site.organization.id, slug: `refused-${Math.random().toString(36).slice(2, 10)}`, title: 'Refused', seo } });
      expect(errorCodes(created), field).toEqual(['BAD_USER_INPUT']);
      expect(created.errors![0]!.extensions!.field).toBe(field);
      expect(created.errors![0]!.message).toBe(`${field}: must be a READY media asset of this organization`);
      const updated = await site.member.client.request(updateMutation, { id: existing.id, input: { seo }, version: existing.version });
      expect(errorCodes(updated), field).toEqual(['BAD_USER_INPUT']);
      expect(updated.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await storedSeo(existing.id)).toEqual({ title: 'Kept' });
    const { rows } = await fixture.db.query(`SELECT count(*)::int AS n FROM cms.pages WHERE organization_id = $1 AND slug LIKE 'refused-%'`, [site.organization.id]);
    expect(rows[0].n).toBe(0);
  });

  test("media gives public image URLs only to the graph's services: an unsigned request is refused", async () => {
    const response = await fetch(new URL('/internal/media/public-urls', fixture.graph.subgraphs.media.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organizationId: site.organization.id, ids: [image.id] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'only the gateway may call this route' });
  });

  test('bad values are BAD_USER_INPUT naming the SEO field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ canonicalUrl: '/pricing' }, 'input.seo.canonicalUrl'],
      [{ canonicalUrl: 'ftp://acme.example/pricing' }, 'input.seo.canonicalUrl'],
      [{ imageId: 'not-an-id' }, 'input.seo.imageId'],
      [{ openGraph: { title: 'x'.repeat(201) } }, 'input.seo.openGraph.title'],
      [{ openGraph: { description: 'x'.repeat(501) } }, 'input.seo.openGraph.description'],
      [{ twitter: { card: 'SUMMARY', site: 'acme' } }, 'input.seo.twitter.site'],
      [{ twitter: { card: 'SUMMARY', creator: '@this_is_far_too_long' } }, 'input.seo.twitter.creator'],
      [{ twitter: { card: 'SUMMARY', title: 'x'.repeat(201) } }, 'input.seo.twitter.title'],
    ];
    for (const [seo, field] of cases) {
      const response = await site.member.client.request(createMutation, { input: { orgId: site.organization.id, slug: `bad-${Math.random().toString(36).slice(2, 10)}`, title: 'Bad', seo } });
      expect(errorCodes(response), field).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field, JSON.stringify(seo)).toBe(field);
    }
  });

  test('SEO stored before these fields existed, or edited by hand, reads with the missing fields null', async () => {
    const page = await createPage(site.member.client, { orgId: site.organization.id });
    await fixture.db.query(`UPDATE cms.pages SET seo = $2 WHERE id = $1`, [page.id, { title: 'Old', image: 'https://cdn.example.com/old.png', openGraph: 'nonsense', twitter: { card: 'BIG' } }]);
    const { page: read } = await site.member.client.data(pageQuery, { id: page.id });
    expect(read.seo).toEqual({
      title: 'Old',
      description: null,
      image: 'https://cdn.example.com/old.png',
      imageId: null,
      imageUrl: 'https://cdn.example.com/old.png',
      canonicalUrl: null,
      noIndex: null,
      openGraph: null,
      twitter: null,
    });
  });
});
