import { beforeAll, describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createComponent, createPage, documentOf, publishPage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { png, startUpload } from '../testkit/media-seed.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// Processing jobs are run by any graph on the database, and each graph keeps uploads in a
// folder of its own: on a shared database another file's graph could take this one's jobs
// and find nothing uploaded.
const fixture = useTestGraphOnOwnDatabase();

/** A component with a media prop, a gallery of them and one in a nested object. */
const pictureSchema = {
  type: 'object',
  properties: {
    caption: { type: 'string', maxLength: 200 },
    image: { type: 'string', format: 'media', maxLength: 36 },
    gallery: { type: 'array', items: { type: 'string', format: 'media', maxLength: 36 }, maxItems: 10 },
    card: { type: 'object', properties: { background: { type: 'string', format: 'media', maxLength: 36 } }, additionalProperties: false },
  },
  additionalProperties: false,
};

const picture = (id: string, props: Record<string, unknown>) => ({ id, component: 'Picture', props, children: [] });

/** Uploads bytes as a client does (ask, PUT to storage, complete) and waits until they are processed. */
async function upload(
  user: SignedUpUser,
  orgId: string,
  bytes: Buffer,
  declared?: { filename: string; contentType: string },
): Promise<{ id: string; status: string; rejectionReason: string | null }> {
  const started = await startUpload(user, orgId, bytes, declared);
  const put = await fetch(started.uploadUrl, { method: started.uploadMethod, headers: started.uploadHeaders, body: bytes });
  expect(put.status, await put.clone().text()).toBeLessThan(300);
  await user.client.data(`mutation ($id: ID!) { completeMediaUpload(id: $id) { id } }`, { id: started.asset.id });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { mediaAsset } = await user.client.data(`query ($id: ID!) { mediaAsset(id: $id) { id status rejectionReason } }`, { id: started.asset.id });
    if (!['PENDING', 'PROCESSING'].includes(mediaAsset.status) || Date.now() > deadline) return mediaAsset;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Uploads a tiny PNG that must become READY. */
async function readyImage(user: SignedUpUser, orgId: string): Promise<{ id: string }> {
  const asset = await upload(user, orgId, await png());
  expect(asset).toMatchObject({ status: 'READY', rejectionReason: null });
  return asset;
}

const createPageMutation = `mutation ($input: CreatePageInput!) { createPage(input: $input) { id version document } }`;

/** Tries to create a page with this document; answers the response as it is. */
function tryCreatePage(client: GraphQLClient, orgId: string, document: unknown) {
  return client.request(createPageMutation, { input: { orgId, slug: `p-${Math.random().toString(36).slice(2, 10)}`, title: 'With media', document } });
}

const publishedAssetsQuery = `query ($orgSlug: String!, $slug: String!) {
  publishedPage(orgSlug: $orgSlug, slug: $slug) { id assets { id url variants { name url } } }
}`;

const deleteAsset = `mutation ($id: ID!) { deleteMediaAsset(id: $id) }`;

// Uploads wait for background processing, which a loaded machine slows down.
const uploadsTimeout = { timeout: 120_000 };

describe('media props of components', uploadsTimeout, () => {
  let site: CmsOrganization;
  let ready: { id: string };

  beforeAll(async () => {
    site = await cmsOrganization(fixture.graph.client);
    await createComponent(site.owner.client, site.organization.id, 'Picture', pictureSchema);
    ready = await readyImage(site.member, site.organization.id);
  }, uploadsTimeout.timeout);

  test('a page may name a READY asset of its organization, in a prop, a list or a nested object', async () => {
    const document = documentOf(picture('p1', { image: ready.id, gallery: [ready.id, ready.id], card: { background: ready.id } }));
    const response = await tryCreatePage(site.member.client, site.organization.id, document);
    expect(response.errors).toBeUndefined();
    expect(response.data!.createPage.document).toEqual(document);
  });

  test('a PENDING asset is refused, naming the prop', async () => {
    const pending = await startUpload(site.member, site.organization.id, await png());
    const response = await tryCreatePage(site.member.client, site.organization.id, documentOf(picture('p1', { caption: 'x' }), picture('p2', { image: pending.asset.id })));
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('document.children[1].props.image: must be a READY media asset of this organization');
    expect(response.errors![0]!.extensions!.field).toBe('document.children[1].props.image');
  });

  test('a REJECTED asset is refused, naming the place in a list', async () => {
    // PNG bytes declared as a PDF: processing rejects them.
    const rejected = await upload(site.member, site.organization.id, await png(), { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(rejected.status).toBe('REJECTED');
    const response = await tryCreatePage(site.member.client, site.organization.id, documentOf(picture('p1', { gallery: [ready.id, rejected.id] })));
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('document.children[0].props.gallery[1]: must be a READY media asset of this organization');
  });

  test("another organization's READY asset is refused like one that does not exist", async () => {
    const stranger = await signUpUser(fixture.graph.client);
    const elsewhere = await createOrganization(stranger);
    const theirs = await readyImage(stranger, elsewhere.id);
    const response = await tryCreatePage(site.member.client, site.organization.id, documentOf(picture('p1', { card: { background: theirs.id } })));
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('document.children[0].props.card.background: must be a READY media asset of this organization');
  });

  test('a value that is not an asset id is refused by the props schema', async () => {
    const response = await tryCreatePage(site.member.client, site.organization.id, documentOf(picture('p1', { image: 'https://example.com/cat.png' })));
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toBe('document.children[0].props.image: must be the id of a media asset (a lower-case UUID)');
  });

  test('an update and a template are checked the same way', async () => {
    const pending = await startUpload(site.member, site.organization.id, await png());
    const page = (await tryCreatePage(site.member.client, site.organization.id, documentOf())).data!.createPage;
    const update = await site.member.client.request(
      `mutation ($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input, version: 1) { id } }`,
      { id: page.id, input: { document: documentOf(picture('p1', { image: pending.asset.id })) } },
    );
    expect(update.errors?.[0]?.message).toBe('document.children[0].props.image: must be a READY media asset of this organization');
    const template = await site.owner.client.request(
      `mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      { input: { orgId: site.organization.id, name: 'With a pending picture', document: documentOf(picture('p1', { image: pending.asset.id })) } },
    );
    expect(template.errors?.[0]?.message).toBe('document.children[0].props.image: must be a READY media asset of this organization');
  });

  test('a schema may not hide a media prop where a document walk cannot tell it is one', async () => {
    const response = await site.owner.client.request(
      `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`,
      {
        input: {
          orgId: site.organization.id,
          name: 'Ambiguous',
          propsSchema: { type: 'object', properties: { image: { anyOf: [{ type: 'string', format: 'media', maxLength: 36 }, { type: 'integer' }] } } },
        },
      },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.propsSchema.properties.image.anyOf[0]');
  });
});

describe('a published page with media', uploadsTimeout, () => {
  test('shows its assets to anyone with public URLs; the assets stay hidden otherwise', async () => {
    const site = await cmsOrganization(fixture.graph.client);
    await createComponent(site.owner.client, site.organization.id, 'Picture', pictureSchema);
    const first = await readyImage(site.member, site.organization.id);
    const second = await readyImage(site.member, site.organization.id);
    const page = await createPage(site.member.client, {
      orgId: site.organization.id,
      document: documentOf(picture('p1', { image: second.id, gallery: [first.id, second.id] })),
    });
    // Not live yet: nothing public.
    expect((await fixture.graph.client.data(publishedAssetsQuery, { orgSlug: site.organization.slug, slug: page.slug })).publishedPage).toBeNull();
    await publishPage(site.member.client, page.id);

    const published = (await fixture.graph.client.request(publishedAssetsQuery, { orgSlug: site.organization.slug, slug: page.slug }));
    expect(published.errors).toBeUndefined();
    const assets = published.data!.publishedPage.assets as { id: string; url: string; variants: { name: string; url: string }[] }[];
    // Once each, in document order.
    expect(assets.map((asset) => asset.id)).toEqual([second.id, first.id]);
    for (const asset of assets) {
      expect(asset.variants.map((variant) => variant.name)).toContain('thumb');
      for (const url of [asset.url, ...asset.variants.map((variant) => variant.url)]) {
        expect(new URL(url).pathname).toMatch(/^\/media\/public\//);
        const download = await fetch(url);
        expect(download.status, url).toBe(200);
        expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);
      }
    }

    // The assets themselves are not public: only through the page that shows them.
    const anonymous = await fixture.graph.client.request(`query ($id: ID!) { mediaAsset(id: $id) { id url } }`, { id: first.id });
    expect(anonymous.data?.mediaAsset ?? null).toBeNull();
    const outsider = await signUpUser(fixture.graph.client);
    expect((await outsider.client.data(`query ($id: ID!) { mediaAsset(id: $id) { id } }`, { id: first.id })).mediaAsset).toBeNull();
  });

  test('keeps its assets from being deleted until it is unpublished', async () => {
    const site = await cmsOrganization(fixture.graph.client);
    await createComponent(site.owner.client, site.organization.id, 'Picture', pictureSchema);
    const asset = await readyImage(site.member, site.organization.id);
    const page = await createPage(site.member.client, { orgId: site.organization.id, document: documentOf(picture('p1', { card: { background: asset.id } })) });
    await publishPage(site.member.client, page.id);

    const refused = await site.member.client.request(deleteAsset, { id: asset.id });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.pages).toEqual([page.id]);

    await site.member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { status } }`, { id: page.id });
    expect((await site.member.client.data(deleteAsset, { id: asset.id })).deleteMediaAsset).toBe(true);
    expect((await site.member.client.data(`query ($id: ID!) { mediaAsset(id: $id) { id } }`, { id: asset.id })).mediaAsset).toBeNull();
  });

  test("an asset's usages are the pages of the caller's organizations that name it, drafts included", async () => {
    const site = await cmsOrganization(fixture.graph.client);
    await createComponent(site.owner.client, site.organization.id, 'Picture', pictureSchema);
    const asset = await readyImage(site.member, site.organization.id);
    const unused = await readyImage(site.member, site.organization.id);
    const live = await createPage(site.member.client, { orgId: site.organization.id, document: documentOf(picture('p1', { image: asset.id })) });
    await publishPage(site.member.client, live.id);
    const draft = await createPage(site.member.client, { orgId: site.organization.id, document: documentOf(picture('p1', { gallery: [asset.id] })) });
    await createPage(site.member.client, { orgId: site.organization.id, document: documentOf(picture('p1', { image: unused.id })) });

    const usages = `query ($id: ID!) { mediaAsset(id: $id) { id usages { id slug } } }`;
    const { mediaAsset } = await site.viewer.client.data(usages, { id: asset.id });
    // Newest first.
    expect(mediaAsset.usages).toEqual([
      { id: draft.id, slug: draft.slug },
      { id: live.id, slug: live.slug },
    ]);
    // Anonymous readers of the published page get its assets, never where else they are used.
    const withUsages = `query ($orgSlug: String!, $slug: String!) { publishedPage(orgSlug: $orgSlug, slug: $slug) { assets { id usages { id } } } }`;
    const address = { orgSlug: site.organization.slug, slug: live.slug };
    expect((await fixture.graph.client.data(withUsages, address)).publishedPage.assets).toEqual([{ id: asset.id, usages: [] }]);
    // …while a member asking the same gets theirs (the field is never cached: see the schema).
    expect((await site.member.client.data(withUsages, address)).publishedPage.assets).toEqual([
      { id: asset.id, usages: [{ id: draft.id }, { id: live.id }] },
    ]);
  });
});
