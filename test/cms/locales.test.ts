import { replaceOp, type JSONOp } from 'ot-json1';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, pageFields, publishPage, updatePage } from '../testkit/cms-seed.ts';
import { pageEventsSubscription, submitMutation } from '../testkit/live-editor.ts';
import { signUpUser, unique } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const translateMutation = `mutation ($pageId: ID!, $locale: String!, $title: String) {
  createPageTranslation(pageId: $pageId, locale: $locale, title: $title) { ${pageFields} translations { id locale } }
}`;

const publishedQuery = `query ($orgSlug: String!, $slug: String!, $locale: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, locale: $locale) { id locale requestedLocale availableLocales title }
}`;

const settingsFields = 'orgId defaultLocale fallbackLocales';
const updateSettingsMutation = `mutation ($orgId: ID!, $input: SiteSettingsInput!) { updateSiteSettings(orgId: $orgId, input: $input) { ${settingsFields} } }`;

function translate(client: GraphQLClient, pageId: string, locale: string, title?: string) {
  return client.request(translateMutation, { pageId, locale, title });
}

/** What anyone gets at an address for a locale (no sign-in). */
async function served(orgSlug: string, slug: string, locale?: string | null) {
  const response = await fixture.graph.client.request(publishedQuery, { orgSlug, slug, locale });
  expect(response.errors).toBeUndefined();
  return response.data!.publishedPage;
}

async function pagesAt(organizationId: string, slug: string): Promise<{ id: string; locale: string }[]> {
  const { rows } = await fixture.db.query('SELECT id, locale FROM cms.pages WHERE organization_id = $1 AND slug = $2 ORDER BY locale', [organizationId, slug]);
  return rows;
}

/** A page in every locale of `locales` at one slug, each published with its locale as title. */
async function publishedTranslations(client: GraphQLClient, orgId: string, locales: string[]) {
  const slug = `guide-${unique()}`;
  const pages: Record<string, string> = {};
  for (const locale of locales) {
    const page = await createPage(client, { orgId, slug, locale, title: locale, document: documentOf(hero('top')) });
    await publishPage(client, page.id);
    pages[locale] = page.id;
  }
  return { slug, pages };
}

describe('translations', () => {
  test("createPageTranslation starts a DRAFT at the same slug from the source's draft document and SEO", async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const source = await createPage(member.client, {
      orgId: organization.id,
      kind: 'POST',
      slug: `launch-${unique()}`,
      title: 'Launch day',
      seo: { title: 'Launch', description: 'We launched', canonicalUrl: 'https://acme.example/launch' },
      document: documentOf(hero('top', { title: 'Hello' })),
    });
    await publishPage(member.client, source.id);
    // The draft moves on after publishing: the translation starts from the draft.
    const draft = await updatePage(member.client, source.id, source.version, { document: documentOf(hero('top', { title: 'Hello again' })) });

    const response = await translate(member.client, source.id, 'de-ch', 'Starttag');
    expect(response.errors).toBeUndefined();
    const translation = response.data!.createPageTranslation;
    expect(translation).toMatchObject({
      kind: 'POST',
      slug: source.slug,
      title: 'Starttag',
      status: 'DRAFT',
      locale: 'de-CH',
      version: 1,
      publishedAt: null,
      revisionCount: 0,
      document: draft.document,
      seo: { title: 'Launch', description: 'We launched', image: null, noIndex: null },
      translations: [{ id: source.id, locale: 'en' }],
    });
    expect(translation.id).not.toBe(source.id);

    const untitled = (await translate(member.client, translation.id, 'fr')).data!.createPageTranslation;
    expect(untitled.title).toBe('Starttag');
    const { page } = await member.client.data(`query ($id: ID!) { page(id: $id) { translations { id locale } } }`, { id: source.id });
    expect(page.translations).toEqual([
      { id: translation.id, locale: 'de-CH' },
      { id: untitled.id, locale: 'fr' },
    ]);
  });

  test('a locale the slug already has is a CONFLICT naming `locale`, and nothing is written', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const source = await createPage(member.client, { orgId: organization.id, locale: 'en-GB' });
    const before = await pagesAt(organization.id, source.slug);
    for (const locale of ['en-gb', 'EN-GB']) {
      const response = await translate(member.client, source.id, locale);
      expect(errorCodes(response)).toEqual(['CONFLICT']);
      expect(response.errors![0]!.extensions!.field).toBe('locale');
    }
    expect(await pagesAt(organization.id, source.slug)).toEqual(before);
  });

  test('a bad tag or title is BAD_USER_INPUT; a VIEWER, a non-member and an unknown page are refused', async () => {
    const { organization, member, viewer } = await cmsOrganization(fixture.graph.client);
    const source = await createPage(member.client, { orgId: organization.id });
    const badTag = await translate(member.client, source.id, 'not a tag');
    expect(errorCodes(badTag)).toEqual(['BAD_USER_INPUT']);
    expect(badTag.errors![0]!.extensions!.field).toBe('locale');
    const badTitle = await translate(member.client, source.id, 'de', ' ');
    expect(errorCodes(badTitle)).toEqual(['BAD_USER_INPUT']);
    expect(badTitle.errors![0]!.extensions!.field).toBe('title');
    expect(errorCodes(await translate(viewer.client, source.id, 'de'))).toEqual(['FORBIDDEN']);
    const outsider = await signUpUser(fixture.graph.client);
    expect(errorCodes(await translate(outsider.client, source.id, 'de'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await translate(member.client, '0190f0c4-0000-7000-8000-000000000000', 'de'))).toEqual(['NOT_FOUND']);
    expect(await pagesAt(organization.id, source.slug)).toEqual([{ id: source.id, locale: 'en' }]);
  });

  test('createPage with a slug used in another locale adds a translation; in the same locale it is a CONFLICT', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const english = await createPage(member.client, { orgId: organization.id });
    const german = await createPage(member.client, { orgId: organization.id, slug: english.slug, locale: 'de' });
    expect(german.slug).toBe(english.slug);
    const again = await member.client.request(`mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`, {
      input: { orgId: organization.id, slug: english.slug, locale: 'DE', title: 'Twice' },
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions!.field).toBe('input.slug');
    expect(await pagesAt(organization.id, english.slug)).toEqual([
      { id: german.id, locale: 'de' },
      { id: english.id, locale: 'en' },
    ]);
  });

  test('updatePage: a new slug moves that translation only; a slug or locale taken in that locale is a CONFLICT', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const english = await createPage(member.client, { orgId: organization.id });
    const german = (await translate(member.client, english.id, 'de')).data!.createPageTranslation;
    const french = (await translate(member.client, english.id, 'fr')).data!.createPageTranslation;

    const moved = await updatePage(member.client, german.id, german.version, { slug: `${english.slug}-neu` });
    expect(moved.slug).toBe(`${english.slug}-neu`);
    expect(await pagesAt(organization.id, english.slug)).toEqual([
      { id: english.id, locale: 'en' },
      { id: french.id, locale: 'fr' },
    ]);

    const toTakenLocale = await member.client.request(
      `mutation ($id: ID!) { updatePage(id: $id, input: { locale: "en" }, version: 1) { id } }`,
      { id: french.id },
    );
    expect(errorCodes(toTakenLocale)).toEqual(['CONFLICT']);
    expect(toTakenLocale.errors![0]!.extensions!.field).toBe('input.locale');

    const backOntoFrench = await member.client.request(
      `mutation ($id: ID!, $slug: String!) { updatePage(id: $id, input: { slug: $slug, locale: "fr" }, version: 1) { id } }`,
      { id: german.id, slug: english.slug },
    );
    expect(errorCodes(backOntoFrench)).toEqual(['CONFLICT']);
    expect(backOntoFrench.errors![0]!.extensions!.field).toBe('input.slug');
    expect(await pagesAt(organization.id, `${english.slug}-neu`)).toEqual([{ id: german.id, locale: 'de' }]);

    // A free locale is simply taken.
    const italian = await updatePage(member.client, french.id, french.version, { locale: 'it' });
    expect(italian.locale).toBe('it');
  });
});

describe('publishedPage chooses among published translations', () => {
  test('the requested tag, then its truncations, then the fallback chain, then the default, then the oldest', async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    const { slug, pages } = await publishedTranslations(member.client, organization.id, ['de', 'de-CH', 'en', 'fr', 'pt-BR']);
    await owner.client.data(updateSettingsMutation, { orgId: organization.id, input: { defaultLocale: 'en', fallbackLocales: ['fr-CA'] } });
    const available = ['de', 'de-CH', 'en', 'fr', 'pt-BR'];

    expect(await served(organization.slug, slug, 'de-CH')).toEqual({ id: pages['de-CH'], locale: 'de-CH', requestedLocale: 'de-CH', availableLocales: available, title: 'de-CH' });
    expect((await served(organization.slug, slug, 'de-ch-1996')).locale).toBe('de-CH');
    expect((await served(organization.slug, slug, 'de-AT')).locale).toBe('de');
    // Lookup never widens a range: `pt` does not find `pt-BR`, so the fallback is served.
    expect((await served(organization.slug, slug, 'pt')).locale).toBe('fr');
    // Nothing for Japanese: the organization's fallback `fr-CA`, truncated to `fr`.
    expect(await served(organization.slug, slug, 'ja-JP')).toMatchObject({ locale: 'fr', requestedLocale: 'ja-JP' });
    // Without a locale: the default.
    expect(await served(organization.slug, slug)).toMatchObject({ id: pages.en, locale: 'en', requestedLocale: null });

    await owner.client.data(updateSettingsMutation, { orgId: organization.id, input: { defaultLocale: 'en', fallbackLocales: [] } });
    expect((await served(organization.slug, slug, 'ja')).locale).toBe('en');
    await owner.client.data(updateSettingsMutation, { orgId: organization.id, input: { defaultLocale: 'pt-BR', fallbackLocales: [] } });
    expect((await served(organization.slug, slug, 'ja')).locale).toBe('pt-BR');
    expect((await served(organization.slug, slug)).locale).toBe('pt-BR');

    // Neither asked, fallback nor default is published at this slug: the oldest translation.
    const other = await publishedTranslations(member.client, organization.id, ['it', 'es']);
    expect(await served(organization.slug, other.slug, 'ja')).toMatchObject({ id: other.pages.it, locale: 'it', availableLocales: ['es', 'it'] });
  });

  test('an unpublished translation is neither served nor listed', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const { slug, pages } = await publishedTranslations(member.client, organization.id, ['en', 'es']);
    const german = (await translate(member.client, pages.en!, 'de')).data!.createPageTranslation;
    expect(await served(organization.slug, slug, 'de')).toMatchObject({ locale: 'en', availableLocales: ['en', 'es'] });
    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: pages.es });
    expect(await served(organization.slug, slug, 'es')).toMatchObject({ locale: 'en', availableLocales: ['en'] });
    await publishPage(member.client, german.id);
    expect(await served(organization.slug, slug, 'de')).toMatchObject({ id: german.id, locale: 'de', availableLocales: ['de', 'en'] });
    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: pages.en });
    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: german.id });
    expect(await served(organization.slug, slug, 'de')).toBeNull();
  });

  test('one published translation is served whatever the locale, as before translations', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const { slug, pages } = await publishedTranslations(member.client, organization.id, ['pt-BR']);
    expect(await served(organization.slug, slug)).toEqual({ id: pages['pt-BR'], locale: 'pt-BR', requestedLocale: null, availableLocales: ['pt-BR'], title: 'pt-BR' });
    expect((await served(organization.slug, slug, 'en')).locale).toBe('pt-BR');
  });

  test('a locale that is not a BCP 47 tag is BAD_USER_INPUT naming `locale`', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const { slug } = await publishedTranslations(member.client, organization.id, ['en']);
    for (const locale of ['', 'en_US!', 'x'.repeat(40)]) {
      const response = await fixture.graph.client.request(publishedQuery, { orgSlug: organization.slug, slug, locale });
      expect(errorCodes(response), locale).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('locale');
    }
  });
});

describe('site settings', () => {
  const settingsQuery = `query ($orgId: ID!) { siteSettings(orgId: $orgId) { ${settingsFields} } }`;

  test('default to `en` without fallbacks; OWNER and ADMIN change them, canonicalised, and the change is audited', async () => {
    const { organization, owner, admin, viewer } = await cmsOrganization(fixture.graph.client);
    expect((await viewer.client.data(settingsQuery, { orgId: organization.id })).siteSettings).toEqual({ orgId: organization.id, defaultLocale: 'en', fallbackLocales: [] });

    const changed = await owner.client.data(updateSettingsMutation, { orgId: organization.id, input: { defaultLocale: 'de-de', fallbackLocales: ['en-us', 'FR'] } });
    expect(changed.updateSiteSettings).toEqual({ orgId: organization.id, defaultLocale: 'de-DE', fallbackLocales: ['en-US', 'fr'] });
    await admin.client.data(updateSettingsMutation, { orgId: organization.id, input: { defaultLocale: 'en', fallbackLocales: ['de'] } });
    expect((await viewer.client.data(settingsQuery, { orgId: organization.id })).siteSettings).toEqual({ orgId: organization.id, defaultLocale: 'en', fallbackLocales: ['de'] });

    const { rows } = await fixture.db.query(
      `SELECT changes FROM audit.entries WHERE organization_id = $1 AND action = 'site_settings.updated' ORDER BY sequence`,
      [organization.id],
    );
    expect(rows.map((row) => row.changes)).toEqual([
      { before: { defaultLocale: 'en', fallbackLocales: [] }, after: { defaultLocale: 'de-DE', fallbackLocales: ['en-US', 'fr'] } },
      { before: { defaultLocale: 'de-DE', fallbackLocales: ['en-US', 'fr'] }, after: { defaultLocale: 'en', fallbackLocales: ['de'] } },
    ]);
  });

  test('a MEMBER or VIEWER cannot change them, a non-member cannot read them, and nothing is written', async () => {
    const { organization, member, viewer } = await cmsOrganization(fixture.graph.client);
    const input = { defaultLocale: 'fr', fallbackLocales: [] };
    for (const user of [member, viewer]) {
      expect(errorCodes(await user.client.request(updateSettingsMutation, { orgId: organization.id, input }))).toEqual(['FORBIDDEN']);
    }
    const outsider = await signUpUser(fixture.graph.client);
    expect(errorCodes(await outsider.client.request(settingsQuery, { orgId: organization.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await outsider.client.request(updateSettingsMutation, { orgId: organization.id, input }))).toEqual(['FORBIDDEN']);
    const { rows } = await fixture.db.query('SELECT 1 FROM cms.site_settings WHERE organization_id = $1', [organization.id]);
    expect(rows).toEqual([]);
  });

  test('bad tags, duplicates and more than 10 fallbacks are BAD_USER_INPUT naming the field', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const cases: [Record<string, unknown>, string][] = [
      [{ defaultLocale: 'english please', fallbackLocales: [] }, 'input.defaultLocale'],
      [{ defaultLocale: 'en', fallbackLocales: ['de', 'not a tag'] }, 'input.fallbackLocales[1]'],
      [{ defaultLocale: 'en', fallbackLocales: ['de-ch', 'DE-CH'] }, 'input.fallbackLocales'],
      [{ defaultLocale: 'en', fallbackLocales: ['de', 'fr', 'it', 'es', 'pt', 'nl', 'da', 'sv', 'fi', 'pl', 'cs'] }, 'input.fallbackLocales'],
    ];
    for (const [input, field] of cases) {
      const response = await owner.client.request(updateSettingsMutation, { orgId: organization.id, input });
      expect(errorCodes(response), field).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    const { rows } = await fixture.db.query('SELECT 1 FROM cms.site_settings WHERE organization_id = $1', [organization.id]);
    expect(rows).toEqual([]);
  });
});

describe('live editing per locale', () => {
  test("two editors on two translations of one slug never see each other's operations", async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    const english = await createPage(owner.client, { orgId: organization.id, document: documentOf(hero('h1')) });
    const german = (await translate(owner.client, english.id, 'de')).data!.createPageTranslation;
    const retitle = (title: string): JSONOp => replaceOp(['children', 0, 'props', 'title'], true, title as never);

    const ownerSocket = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
    const memberSocket = webSocketClient(fixture.graph.gateway.url, { token: member.accessToken });
    try {
      const onEnglish = await subscribeOverWebSocket(ownerSocket, pageEventsSubscription, { pageId: english.id });
      const onGerman = await subscribeOverWebSocket(memberSocket, pageEventsSubscription, { pageId: german.id });
      await owner.client.data(submitMutation, { pageId: english.id, baseVersion: 1, operations: [retitle('Hello')] });
      await member.client.data(submitMutation, { pageId: german.id, baseVersion: 1, operations: [retitle('Hallo')] });

      expect((await onEnglish.next()).data?.pageEvents).toMatchObject({ version: 2, operation: retitle('Hello') });
      expect((await onGerman.next()).data?.pageEvents).toMatchObject({ version: 2, operation: retitle('Hallo') });
      // Give a stray event time to arrive: none does.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(onEnglish.pending()).toEqual([]);
      expect(onGerman.pending()).toEqual([]);
    } finally {
      await ownerSocket.dispose();
      await memberSocket.dispose();
    }
    const { rows } = await fixture.db.query('SELECT id, version, document FROM cms.pages WHERE id = ANY($1::uuid[]) ORDER BY locale', [[german.id, english.id]]);
    expect(rows).toEqual([
      { id: german.id, version: 2, document: documentOf(hero('h1', { title: 'Hallo' })) },
      { id: english.id, version: 2, document: documentOf(hero('h1', { title: 'Hello' })) },
    ]);
  });
});
