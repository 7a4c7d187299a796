import { describe, expect, test } from 'vitest';
import { createComponent, createPage, documentOf, hero, heroSchema, publishPage } from '../testkit/cms-seed.ts';
import type { GraphQLClient, GraphQLResponse } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, unique, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { hourMs, metricsOf, refusal, settled, sleep, storedEvents, trackMutation } from './analytics-kit.ts';

/**
 * trackEvent: what it accepts and counts (events.tracked by name), and everything it must
 * refuse, with the right code, storing nothing (no pending event, no raw event, no count).
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

/** Wide enough for backdated events and the few minutes ahead a timestamp may be. */
const around = () => ({ from: new Date(Date.now() - 26 * hourMs).toISOString(), to: new Date(Date.now() + 2 * hourMs).toISOString() });

function track(client: GraphQLClient, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return client.request(trackMutation, { input });
}

async function organizationWithOwner() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization, metrics: metricsOf(owner.client, organization.id) };
}

/** A published page of the organization (a Hero on it), and one still in draft. */
async function pagesOf(owner: SignedUpUser, orgId: string) {
  await createComponent(owner.client, orgId, 'Hero', heroSchema);
  const published = await createPage(owner.client, { orgId, document: documentOf(hero('h1')) });
  await publishPage(owner.client, published.id);
  const draft = await createPage(owner.client, { orgId, document: documentOf(hero('h1')) });
  return { published, draft };
}

/** Sends a refused event and checks its code, and that nothing of it reached analytics' tables. */
async function expectRefused(client: GraphQLClient, input: Record<string, unknown>, code: string, orgId: string) {
  const response = await track(client, input);
  expect(refusal(response).code, `${JSON.stringify(input).slice(0, 200)} → ${JSON.stringify(response.errors)}`).toBe(code);
  expect(response.data?.trackEvent ?? null).toBeNull();
  expect(await storedEvents(fixture.db, orgId)).toEqual({ pending: 0, raw: 0 });
  return response;
}

describe('custom events count in events.tracked', () => {
  test('each custom event a member sends counts once, by name; properties, visitor ids and a past timestamp are accepted', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const viewer = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, viewer, 'VIEWER');
    const sent = [
      await track(owner.client, { name: 'signup', orgId: organization.id }),
      await track(owner.client, { name: 'signup', orgId: organization.id, properties: { plan: 'pro', seats: 3 }, visitorId: 'v-1' }),
      await track(viewer.client, { name: 'signup', orgId: organization.id, timestamp: new Date(Date.now() - 3 * hourMs).toISOString() }),
      await track(owner.client, { name: 'checkout.completed', orgId: organization.id, properties: { cart: { items: [1, 2] } } }),
      await track(viewer.client, { name: 'a:b-c_d.e', orgId: organization.id }),
    ];
    expect(sent.map((response) => response.data?.trackEvent)).toEqual([true, true, true, true, true]);
    const expected = { signup: 3, 'checkout.completed': 1, 'a:b-c_d.e': 1 };
    expect(await settled(() => metrics.breakdown('events.tracked', 'name'), expected)).toEqual(expected);
    expect(await metrics.value('events.tracked')).toBe(5);
    // Counted, so no longer waiting; kept as raw events with their names and properties.
    expect(await storedEvents(fixture.db, organization.id)).toEqual({ pending: 0, raw: 5 });
    const raw = await fixture.db.query(
      `SELECT metric, dimension, details FROM analytics_raw.events WHERE organization_id = $1 AND details -> 'properties' ->> 'plan' = 'pro'`,
      [organization.id],
    );
    expect(raw.rows).toEqual([{ metric: 'events.tracked', dimension: 'name=signup', details: { name: 'signup', properties: { plan: 'pro', seats: 3 } } }]);
  });

  test('an API key sends its own organization\'s events with analytics:write, and is FORBIDDEN without it or for another organization', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const other = await organizationWithOwner();
    const keyWith = async (scopes: string[]) =>
      fixture.graph.client.as(
        (await owner.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
          input: { orgId: organization.id, name: `key ${unique()}`, scopes },
        })).createApiKey.secret,
      );
    const writer = await keyWith(['analytics:write']);
    const reader = await keyWith(['analytics:read']);
    expect((await track(writer, { name: 'import.finished', orgId: organization.id })).data?.trackEvent).toBe(true);
    await expectRefused(reader, { name: 'import.started', orgId: other.organization.id }, 'FORBIDDEN', other.organization.id);
    await expectRefused(writer, { name: 'import.started', orgId: other.organization.id }, 'FORBIDDEN', other.organization.id);
    expect(refusal(await track(reader, { name: 'import.started', orgId: organization.id })).code).toBe('FORBIDDEN');
    expect(await settled(() => metrics.breakdown('events.tracked', 'name'), { 'import.finished': 1 })).toEqual({ 'import.finished': 1 });
    expect(await storedEvents(fixture.db, organization.id)).toEqual({ pending: 0, raw: 1 });
  });

  test('anyone may send a custom event for a published page; it counts for the page\'s organization', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const { published } = await pagesOf(owner, organization.id);
    const stranger = await signUpUser(fixture.graph.client);
    for (const client of [fixture.graph.client, stranger.client]) {
      const response = await track(client, { name: 'newsletter.subscribed', orgSlug: organization.slug, pageSlug: published.slug, visitorId: 'v-9' });
      expect(response.data?.trackEvent).toBe(true);
    }
    expect(await settled(() => metrics.breakdown('events.tracked', 'name'), { 'newsletter.subscribed': 2 })).toEqual({ 'newsletter.subscribed': 2 });
    // A custom event is not a page view.
    expect(await metrics.value('cms.page.views')).toBe(0);
  });
});

describe('trackEvent refuses bad events and stores nothing of them', () => {
  test('a name outside the pattern (lower-case letter first, then at most 63 of a-z 0-9 _ . : -) is BAD_USER_INPUT', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    for (const name of ['Signup', 'signUp', '1signup', '_signup', '.signup', 'sign up', 'sign/up', 'été', '', `a${'b'.repeat(64)}`]) {
      await expectRefused(owner.client, { name, orgId: organization.id }, 'BAD_USER_INPUT', organization.id);
    }
    // The longest name allowed, and the shortest.
    const longest = `a${'b'.repeat(63)}`;
    expect((await track(owner.client, { name: longest, orgId: organization.id })).data?.trackEvent).toBe(true);
    expect((await track(owner.client, { name: 'a', orgId: organization.id })).data?.trackEvent).toBe(true);
    expect(await settled(() => metrics.breakdown('events.tracked', 'name'), { [longest]: 1, a: 1 })).toEqual({ [longest]: 1, a: 1 });
  });

  test('more than 50 properties, properties that are not an object, or more than 8 KB are BAD_USER_INPUT; 50 properties and 7 KB pass', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const properties = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, index]));
    const refused = [
      { properties: properties(51) },
      { properties: [1, 2, 3] },
      { properties: 'plan=pro' },
      { properties: { blob: 'x'.repeat(8 * 1024) } },
      // The limit is on the whole event, properties or not.
      { visitorId: 'v', properties: { a: 'x'.repeat(4 * 1024), b: 'y'.repeat(4 * 1024) } },
      { visitorId: 'v'.repeat(129) },
    ];
    for (const input of refused) {
      const response = await expectRefused(owner.client, { name: 'upload', orgId: organization.id, ...input }, 'BAD_USER_INPUT', organization.id);
      expect(response.errors?.[0]?.message).toMatch(/propert|KB|128|visitorId/i);
    }
    for (const input of [{ properties: properties(50) }, { properties: { blob: 'x'.repeat(7 * 1024) } }, { visitorId: 'v'.repeat(128) }]) {
      expect((await track(owner.client, { name: 'upload', orgId: organization.id, ...input })).data?.trackEvent).toBe(true);
    }
    expect(await settled(() => metrics.value('events.tracked'), 3)).toBe(3);
    expect(await storedEvents(fixture.db, organization.id)).toEqual({ pending: 0, raw: 3 });
  });

  test('a timestamp more than 24 hours old or more than 5 minutes ahead is BAD_USER_INPUT; 23 hours old and 4 minutes ahead pass', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    for (const timestamp of [at(-25 * hourMs), at(-24 * hourMs - 60_000), at(10 * 60_000), at(6 * 60_000), at(-400 * 24 * hourMs)]) {
      const response = await expectRefused(owner.client, { name: 'late', orgId: organization.id, timestamp }, 'BAD_USER_INPUT', organization.id);
      expect(response.errors?.[0]?.message).toMatch(/24 hours|5 minutes/);
    }
    for (const timestamp of [at(-23 * hourMs), at(4 * 60_000)]) {
      expect((await track(owner.client, { name: 'late', orgId: organization.id, timestamp })).data?.trackEvent).toBe(true);
    }
    expect(await settled(() => metrics.value('events.tracked', around()), 2)).toBe(2);
  });

  test('a page view of an unpublished or unknown page is NOT_FOUND, and counts nowhere', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const { published, draft } = await pagesOf(owner, organization.id);
    const anonymous = fixture.graph.client;
    await expectRefused(anonymous, { name: 'page_view', orgSlug: organization.slug, pageSlug: draft.slug, visitorId: 'v1' }, 'NOT_FOUND', organization.id);
    await expectRefused(anonymous, { name: 'page_view', orgSlug: organization.slug, pageSlug: 'no-such-page', visitorId: 'v1' }, 'NOT_FOUND', organization.id);
    expect(refusal(await track(anonymous, { name: 'page_view', orgSlug: `no-such-org-${unique()}`, pageSlug: published.slug })).code).toBe('NOT_FOUND');
    // A custom event names a published page as well, or nothing.
    await expectRefused(owner.client, { name: 'cta.clicked', orgSlug: organization.slug, pageSlug: draft.slug }, 'NOT_FOUND', organization.id);

    // The published page's view counts: the draft's did not.
    expect((await track(anonymous, { name: 'page_view', orgSlug: organization.slug, pageSlug: published.slug, visitorId: 'v1' })).data?.trackEvent).toBe(true);
    expect(await settled(() => metrics.breakdown('cms.page.views', 'page'), { [published.id]: 1 })).toEqual({ [published.id]: 1 });
    expect(await metrics.value('cms.page.visitors')).toBe(1);
    expect(await metrics.value('events.tracked')).toBe(0);
  });

  test('anonymous custom events for an organization are UNAUTHENTICATED; a member of another organization is FORBIDDEN', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const stranger = await organizationWithOwner();
    const refusedAnonymous = await expectRefused(fixture.graph.client, { name: 'signup', orgId: organization.id }, 'UNAUTHENTICATED', organization.id);
    expect(refusedAnonymous.errors?.[0]?.message).toMatch(/sign in/i);
    await expectRefused(stranger.owner.client, { name: 'signup', orgId: organization.id }, 'FORBIDDEN', organization.id);
    // A removed member is a stranger from then on.
    const former = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, former, 'MEMBER');
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, {
      orgId: organization.id,
      userId: former.id,
    });
    await expectRefused(former.client, { name: 'signup', orgId: organization.id }, 'FORBIDDEN', organization.id);

    expect((await track(owner.client, { name: 'signup', orgId: organization.id })).data?.trackEvent).toBe(true);
    expect(await settled(() => metrics.breakdown('events.tracked', 'name'), { signup: 1 })).toEqual({ signup: 1 });
  });

  test('an event must name either an organization or a published page: page_view with orgId, both, or neither are BAD_USER_INPUT', async () => {
    const { owner, organization, metrics } = await organizationWithOwner();
    const { published } = await pagesOf(owner, organization.id);
    const page = { orgSlug: organization.slug, pageSlug: published.slug };
    for (const input of [
      { name: 'page_view', orgId: organization.id },
      { name: 'page_view', orgId: organization.id, ...page },
      { name: 'signup', orgId: organization.id, ...page },
      { name: 'signup' },
      { name: 'page_view' },
      { name: 'page_view', orgSlug: organization.slug },
      { name: 'signup', orgId: 'not-an-id' },
    ]) {
      await expectRefused(owner.client, input, 'BAD_USER_INPUT', organization.id);
    }
    await sleep(500);
    expect(await metrics.value('cms.page.views')).toBe(0);
    expect(await metrics.value('events.tracked')).toBe(0);
  });

  test('a locale that is not a BCP 47 tag, or one without a page, is BAD_USER_INPUT naming `input.locale`', async () => {
    const { owner, organization } = await organizationWithOwner();
    const { published } = await pagesOf(owner, organization.id);
    for (const input of [
      { name: 'page_view', orgSlug: organization.slug, pageSlug: published.slug, locale: 'not a tag' },
      { name: 'signup', orgId: organization.id, locale: 'de' },
    ]) {
      const response = await expectRefused(owner.client, input, 'BAD_USER_INPUT', organization.id);
      expect(response.errors![0]!.extensions!.field).toBe('input.locale');
    }
  });
});
