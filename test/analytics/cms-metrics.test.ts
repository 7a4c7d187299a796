import { randomUUID } from 'node:crypto';
import { replaceOp, type JSONOp } from 'ot-json1';
import { describe, expect, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage } from '../testkit/cms-seed.ts';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { submitMutation } from '../testkit/live-editor.ts';
import { signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { hourMs, hourStart, metricsOf, refusal, settled, storedEvents, trackMutation } from './analytics-kit.ts';

/**
 * cms.pages.published, cms.edits (audit trail), cms.page.views and cms.page.visitors
 * (trackEvent page_view on published pages, by anyone), from pages made, published, edited
 * live and viewed through the gateway.
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const retitle = (index: number, title: string): JSONOp => replaceOp(['children', index, 'props', 'title'], true, title as never);

function submit(client: GraphQLClient, pageId: string, baseVersion: number, operations: JSONOp[], submissionId?: string) {
  return client.request(submitMutation, { pageId, baseVersion, operations, submissionId });
}

function view(client: GraphQLClient, orgSlug: string, pageSlug: string, extra: Record<string, unknown> = {}) {
  return client.request(trackMutation, { input: { name: 'page_view', orgSlug, pageSlug, ...extra } });
}

/** An organization (a member of each role, the Hero component) with `count` published pages. */
async function withPublishedPages(count: number) {
  const seed = await cmsOrganization(fixture.graph.client);
  const pages: Record<string, any>[] = [];
  for (let index = 0; index < count; index++) {
    const page = await createPage(seed.owner.client, { orgId: seed.organization.id, document: documentOf(hero('h1'), hero('h2')) });
    pages.push(await publishPage(seed.owner.client, page.id));
  }
  return { ...seed, pages, metrics: metricsOf(seed.owner.client, seed.organization.id) };
}

describe('cms.pages.published', () => {
  test('every publication counts, by page (a republished page twice); updating, unpublishing and a refused publication count nothing', async () => {
    const { owner, viewer, organization, pages, metrics } = await withPublishedPages(2);
    const [first, second] = pages as [Record<string, any>, Record<string, any>];
    const updated = await updatePage(owner.client, first.id, first.version, { title: 'Second revision' });
    await publishPage(owner.client, updated.id);
    await owner.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: second.id });
    const draft = await createPage(owner.client, { orgId: organization.id, document: documentOf(hero('h1')) });
    const refused = await viewer.client.request(`mutation ($id: ID!) { publishPage(id: $id) { id } }`, { id: draft.id });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);

    const expected = { [first.id]: 2, [second.id]: 1 };
    expect(await settled(() => metrics.breakdown('cms.pages.published', 'page'), expected)).toEqual(expected);
    expect(await metrics.summary('cms.pages.published')).toMatchObject({ value: 3, previousValue: 0, metric: { unit: 'publications', aggregation: 'COUNT' } });
  });
});

describe('cms.edits', () => {
  test('each accepted live-edit submission counts once, by page; a retried submission, a refused one and a viewer\'s count nothing', async () => {
    const { owner, member, viewer, pages, metrics } = await withPublishedPages(2);
    const [first, second] = pages as [Record<string, any>, Record<string, any>];
    const accepted = [
      await submit(owner.client, first.id, first.version, [retitle(0, 'One')]),
      // Two operations in one submission: one edit.
      await submit(member.client, first.id, first.version + 1, [retitle(0, 'Two'), retitle(1, 'Two too')]),
      await submit(member.client, second.id, second.version, [retitle(1, 'Elsewhere')]),
    ];
    for (const response of accepted) expect(response.errors).toBeUndefined();
    const submissionId = randomUUID();
    const once = await submit(owner.client, first.id, first.version + 2, [retitle(0, 'Three')], submissionId);
    const retried = await submit(owner.client, first.id, first.version + 2, [retitle(0, 'Three')], submissionId);
    expect(retried.data?.submitPageOperations).toEqual(once.data?.submitPageOperations);
    expect(errorCodes(await submit(viewer.client, first.id, first.version + 3, [retitle(0, 'Viewer')]))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await submit(owner.client, first.id, first.version + 50, [retitle(0, 'Future')]))).toEqual(['BAD_USER_INPUT']);

    const expected = { [first.id]: 3, [second.id]: 1 };
    expect(await settled(() => metrics.breakdown('cms.edits', 'page'), expected)).toEqual(expected);
    expect(await metrics.value('cms.edits')).toBe(4);
  });
});

describe('cms.page.views and cms.page.visitors', () => {
  test('views of published pages count by page, whoever sends them; visitors count distinct visitorIds, by page and overall', async () => {
    const { organization, pages, metrics } = await withPublishedPages(2);
    const [first, second] = pages as [Record<string, any>, Record<string, any>];
    const stranger = await signUpUser(fixture.graph.client);
    const anonymous = fixture.graph.client;
    const sent = [
      await view(anonymous, organization.slug, first.slug, { visitorId: 'v1' }),
      await view(anonymous, organization.slug, first.slug, { visitorId: 'v1' }),
      await view(stranger.client, organization.slug, first.slug, { visitorId: 'v2', properties: { referrer: 'search' } }),
      // A view without a visitor id is a view, and no visitor.
      await view(anonymous, organization.slug, first.slug),
      await view(anonymous, organization.slug, second.slug, { visitorId: 'v1' }),
    ];
    expect(sent.map((response) => response.data?.trackEvent)).toEqual([true, true, true, true, true]);

    const views = { [first.id]: 4, [second.id]: 1 };
    expect(await settled(() => metrics.breakdown('cms.page.views', 'page'), views)).toEqual(views);
    expect(await metrics.value('cms.page.views')).toBe(5);
    expect(await metrics.breakdown('cms.page.visitors', 'page')).toEqual({ [first.id]: 2, [second.id]: 1 });
    expect(await metrics.summary('cms.page.visitors')).toMatchObject({ value: 2, metric: { aggregation: 'DISTINCT', unit: 'visitors' } });
    // Page views are not custom events.
    expect(await metrics.value('events.tracked')).toBe(0);
  });

  test('an hourly series of distinct visitors counts each hour\'s visitors, and its total the distinct visitors of the whole period', async () => {
    const { organization, pages, metrics } = await withPublishedPages(1);
    const page = pages[0]!;
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * hourMs).toISOString();
    for (const [visitorId, hoursAgo] of [['v1', 2], ['v1', 0], ['v2', 0], ['v3', 2], ['v1', 0]] as const) {
      expect((await view(fixture.graph.client, organization.slug, page.slug, { visitorId, timestamp: at(hoursAgo) })).data?.trackEvent).toBe(true);
    }
    const from = new Date(hourStart(now).getTime() - 2 * hourMs);
    const to = new Date(hourStart(now).getTime() + hourMs);
    expect(await settled(() => metrics.value('cms.page.views', { from: from.toISOString(), to: to.toISOString() }), 5)).toBe(5);

    const [visitors] = await metrics.series({ name: 'cms.page.visitors', from, to, interval: 'HOUR' });
    expect(visitors!.points).toEqual([
      { t: from.toISOString(), v: 2 },
      { t: new Date(from.getTime() + hourMs).toISOString(), v: 0 },
      { t: new Date(from.getTime() + 2 * hourMs).toISOString(), v: 2 },
    ]);
    // v1, v2 and v3: not the 4 the points add up to.
    expect(visitors!.total).toBe(3);
    const [views] = await metrics.series({ name: 'cms.page.views', from, to, interval: 'HOUR' });
    expect(views!.points.map((point) => point.v)).toEqual([2, 0, 3]);
    expect(views!.total).toBe(5);
    const [byPage] = await metrics.series({ name: 'cms.page.visitors', from, to, interval: 'HOUR', dimension: 'page' });
    expect(byPage).toMatchObject({ key: page.id, total: 3 });
  });

  test('a view counts for the translation of its locale; without one, for the translation served by default', async () => {
    const { organization, owner, pages, metrics } = await withPublishedPages(1);
    const english = pages[0]!;
    const german = (await owner.client.data(`mutation ($id: ID!) { createPageTranslation(pageId: $id, locale: "de") { id } }`, { id: english.id }))
      .createPageTranslation;
    await publishPage(owner.client, german.id);
    const anonymous = fixture.graph.client;
    const sent = [
      await view(anonymous, organization.slug, english.slug, { locale: 'de' }),
      await view(anonymous, organization.slug, english.slug, { locale: 'de-AT' }),
      await view(anonymous, organization.slug, english.slug, { locale: 'en' }),
      await view(anonymous, organization.slug, english.slug),
    ];
    expect(sent.map((response) => response.data?.trackEvent)).toEqual([true, true, true, true]);
    const views = { [german.id]: 2, [english.id]: 2 };
    expect(await settled(() => metrics.breakdown('cms.page.views', 'page'), views)).toEqual(views);
  });

  test('views of another organization\'s page count for that organization only', async () => {
    const mine = await withPublishedPages(1);
    const theirs = await withPublishedPages(1);
    await view(fixture.graph.client, theirs.organization.slug, theirs.pages[0]!.slug, { visitorId: 'v1' });
    await view(fixture.graph.client, mine.organization.slug, mine.pages[0]!.slug, { visitorId: 'v1' });
    expect(await settled(() => theirs.metrics.value('cms.page.views'), 1)).toBe(1);
    expect(await settled(() => mine.metrics.breakdown('cms.page.views', 'page'), { [mine.pages[0]!.id]: 1 })).toEqual({ [mine.pages[0]!.id]: 1 });
  });

  test('a page published right after a view of it was refused (still a draft) counts its views at once', async () => {
    const { owner, organization, metrics } = await withPublishedPages(0);
    const page = await createPage(owner.client, { orgId: organization.id, document: documentOf(hero('h1')) });
    expect(refusal(await view(fixture.graph.client, organization.slug, page.slug, { visitorId: 'early' })).code).toBe('NOT_FOUND');
    expect(await storedEvents(fixture.db, organization.id)).toEqual({ pending: 0, raw: 0 });

    await publishPage(owner.client, page.id);
    const counted = await view(fixture.graph.client, organization.slug, page.slug, { visitorId: 'first-reader' });
    expect({ errors: counted.errors?.map((error) => error.extensions?.code), trackEvent: counted.data?.trackEvent }).toEqual({
      errors: undefined,
      trackEvent: true,
    });
    expect(await settled(() => metrics.value('cms.page.views'), 1)).toBe(1);
  });
});
