import { readFile } from 'node:fs/promises';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { cmsOrganization, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

// An `&` in the sites' base URL: every URL in the sitemap must come out escaped.
const sitesBaseUrl = 'https://sites.example.test/a&b/{orgSlug}';
const fixture = useTestGraph({ SITES_BASE_URL: sitesBaseUrl });
/** The sitemap 0.9 schema, and the declaration of its `xhtml:link` alternates with a schema importing both. */
const schemaFiles = Promise.all(
  ['sitemap-with-alternates.xsd', 'sitemap-0.9.xsd', 'sitemap-xhtml-link.xsd'].map(async (fileName) => ({
    fileName,
    contents: await readFile(new URL(`./fixtures/${fileName}`, import.meta.url), 'utf8'),
  })),
);

async function validateSitemap(xml: string) {
  const [schema, ...imported] = await schemaFiles;
  return validateXML({ xml: { fileName: 'sitemap.xml', contents: xml }, schema: schema!, preload: imported });
}

function gatewayOrigin(): string {
  return new URL(fixture.graph.gateway.url).origin;
}

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${gatewayOrigin()}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The `<url>` entries of a sitemap: location, lastmod and hreflang alternates, as written (escaped). */
function entriesOf(xml: string) {
  return [...xml.matchAll(/<url>([\s\S]*?)<\/url>/g)].map(([, entry]) => ({
    loc: /<loc>(.*?)<\/loc>/.exec(entry!)?.[1],
    lastmod: /<lastmod>(.*?)<\/lastmod>/.exec(entry!)?.[1],
    alternates: [...entry!.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]*)" href="([^"]*)"\/>/g)].map(([, hreflang, href]) => ({ hreflang, href })),
  }));
}

async function expectSchemaValid(xml: string) {
  const result = await validateSitemap(xml);
  expect(result.errors.map((error) => error.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
}

/** A page of the organization, published unless `publish` is false. */
async function page(client: Parameters<typeof createPage>[0], orgId: string, input: Record<string, unknown> = {}, publish = true) {
  const created = await createPage(client, { orgId, document: documentOf(hero('top')), ...input });
  return publish ? publishPage(client, created.id) : created;
}

describe('a public site sitemap.xml', () => {
  test('lists the published, indexable pages with their lastmod and locale, and nothing else', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const other = await cmsOrganization(fixture.graph.client);
    const pricing = await page(member.client, organization.id, { slug: 'pricing' });
    const guide = await page(member.client, organization.id, { slug: 'docs/getting-started', locale: 'pt-br' });
    await page(member.client, organization.id, { slug: 'draft' }, false);
    await page(member.client, organization.id, { slug: 'hidden', seo: { noIndex: true } });
    const withdrawn = await page(member.client, organization.id, { slug: 'withdrawn' });
    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: withdrawn.id });
    const archived = await page(member.client, organization.id, { slug: 'archived' });
    await member.client.data(`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: archived.id });
    await page(other.member.client, other.organization.id, { slug: 'elsewhere' });

    const response = await get(`/sites/${organization.slug}/sitemap.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    await expectSchemaValid(response.text);
    const base = `https://sites.example.test/a&amp;b/${organization.slug}`;
    // Newest publication first; a page outside the default locale (`en`) under its locale, and
    // `x-default` only where a default-locale translation is listed.
    expect(entriesOf(response.text)).toEqual([
      {
        loc: `${base}/pt-BR/docs/getting-started`,
        lastmod: guide.publishedAt,
        alternates: [{ hreflang: 'pt-BR', href: `${base}/pt-BR/docs/getting-started` }],
      },
      {
        loc: `${base}/pricing`,
        lastmod: pricing.publishedAt,
        alternates: [
          { hreflang: 'en', href: `${base}/pricing` },
          { hreflang: 'x-default', href: `${base}/pricing` },
        ],
      },
    ]);
  });

  test('lists each published, indexable translation at its URL, with every translation as an alternate and x-default', async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    await owner.client.data(
      `mutation ($orgId: ID!, $input: SiteSettingsInput!) { updateSiteSettings(orgId: $orgId, input: $input) { defaultLocale } }`,
      { orgId: organization.id, input: { defaultLocale: 'de', fallbackLocales: ['en'] } },
    );
    const german = await page(member.client, organization.id, { slug: 'pricing', locale: 'de' });
    const english = await page(member.client, organization.id, { slug: 'pricing', locale: 'en' });
    const brazilian = await page(member.client, organization.id, { slug: 'pricing', locale: 'pt-br' });
    await page(member.client, organization.id, { slug: 'pricing', locale: 'fr', seo: { noIndex: true } });
    await page(member.client, organization.id, { slug: 'pricing', locale: 'es' }, false);
    const about = await page(member.client, organization.id, { slug: 'about', locale: 'en' });

    const response = await get(`/sites/${organization.slug}/sitemap.xml`);
    expect(response.status).toBe(200);
    await expectSchemaValid(response.text);
    const base = `https://sites.example.test/a&amp;b/${organization.slug}`;
    const pricingAlternates = [
      { hreflang: 'de', href: `${base}/pricing` },
      { hreflang: 'en', href: `${base}/en/pricing` },
      { hreflang: 'pt-BR', href: `${base}/pt-BR/pricing` },
      { hreflang: 'x-default', href: `${base}/pricing` },
    ];
    expect(entriesOf(response.text)).toEqual([
      // Only in English: under its locale, and no x-default (no German translation is listed).
      { loc: `${base}/en/about`, lastmod: about.publishedAt, alternates: [{ hreflang: 'en', href: `${base}/en/about` }] },
      { loc: `${base}/pt-BR/pricing`, lastmod: brazilian.publishedAt, alternates: pricingAlternates },
      { loc: `${base}/en/pricing`, lastmod: english.publishedAt, alternates: pricingAlternates },
      { loc: `${base}/pricing`, lastmod: german.publishedAt, alternates: pricingAlternates },
    ]);
  });

  test('an organization without indexable pages gets an empty, valid sitemap', async () => {
    const { organization } = await cmsOrganization(fixture.graph.client);
    const response = await get(`/sites/${organization.slug}/sitemap.xml`);
    expect(response.status).toBe(200);
    expect(entriesOf(response.text)).toEqual([]);
    await expectSchemaValid(response.text);
  });

  test('a sitemap that would not validate is caught by the schema check, alternates included', async () => {
    const urlset = (url: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"><url>${url}</url></urlset>\n`;
    const link = (attributes: string) => urlset(`<loc>https://example.test/a</loc><xhtml:link ${attributes}/>`);
    expect((await validateSitemap(link('rel="alternate" hreflang="pt-BR" href="https://example.test/pt-BR/a"'))).valid).toBe(true);
    expect((await validateSitemap(link('rel="alternate" hreflang="x-default" href="https://example.test/a"'))).valid).toBe(true);
    for (const broken of [
      urlset('<lastmod>yesterday</lastmod>'),
      link('rel="alternate" hreflang="pt-BR"'),
      link('rel="alternate" hreflang="not a tag" href="https://example.test/a"'),
      link('rel="canonical" hreflang="en" href="https://example.test/a"'),
    ]) {
      expect((await validateSitemap(broken)).valid, broken).toBe(false);
    }
  });

  test('is cacheable: a strong ETag, 304 for the copy held, and a new ETag after a publish', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    await page(member.client, organization.id, { slug: 'home' });
    const path = `/sites/${organization.slug}/sitemap.xml`;
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');

    const held = await get(path, { 'if-none-match': etag });
    expect(held.status).toBe(304);
    expect(held.text).toBe('');
    expect(held.headers.get('etag')).toBe(etag);

    const head = await get(path, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('etag')).toBe(etag);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(first.text));

    await page(member.client, organization.id, { slug: 'news' });
    const after = await get(path, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(entriesOf(after.text).map((entry) => entry.loc)).toEqual([
      `https://sites.example.test/a&amp;b/${organization.slug}/news`,
      `https://sites.example.test/a&amp;b/${organization.slug}/home`,
    ]);
  });
});

describe('a public site robots.txt', () => {
  test('allows every crawler and names the absolute URL of the sitemap', async () => {
    const { organization } = await cmsOrganization(fixture.graph.client);
    const response = await get(`/sites/${organization.slug}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const host = new URL(gatewayOrigin()).host;
    expect(response.text).toBe(`User-agent: *\nDisallow:\n\nSitemap: http://${host}/sites/${organization.slug}/sitemap.xml\n`);
    const sitemap = await get(new URL(/^Sitemap: (.*)$/m.exec(response.text)![1]!).pathname);
    expect(sitemap.status).toBe(200);

    const held = await get(`/sites/${organization.slug}/robots.txt`, { 'if-none-match': response.headers.get('etag')! });
    expect(held.status).toBe(304);
  });
});

describe('an address that is not a site', () => {
  test('an unknown organization, or a slug that cannot be one, is not found', async () => {
    for (const path of ['/sites/no-such-organization/sitemap.xml', '/sites/no-such-organization/robots.txt', '/sites/Not_A_Slug/sitemap.xml', '/sites/a%2Fb/sitemap.xml']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
  });

  test('only GET and HEAD are served', async () => {
    const { organization } = await cmsOrganization(fixture.graph.client);
    const response = await fetch(`${gatewayOrigin()}/sites/${organization.slug}/sitemap.xml`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
