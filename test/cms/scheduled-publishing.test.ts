import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { signUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// Its own database: a graph of another file on a shared one would run these publications
// and bump the cache tags and events of its own deployment, not this one's.
const fixture = useTestGraphOnOwnDatabase();

const schedule = `mutation ($id: ID!, $publishAt: DateTime, $unpublishAt: DateTime, $revision: Int) {
  schedulePagePublication(id: $id, publishAt: $publishAt, unpublishAt: $unpublishAt, revision: $revision) {
    id status scheduledPublishAt scheduledUnpublishAt scheduledRevision
  }
}`;

const publishedQuery = `query ($orgSlug: String!, $slug: String!) {
  publishedPage(orgSlug: $orgSlug, slug: $slug) { title revision publishedAt }
}`;

const pageQuery = `query ($id: ID!) {
  page(id: $id) { status publishedAt revisionCount scheduledPublishAt scheduledUnpublishAt scheduledRevision }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** What the public site serves at the address, read anonymously. */
async function publicView(client: GraphQLClient, orgSlug: string, slug: string) {
  return (await client.data(publishedQuery, { orgSlug, slug })).publishedPage as { title: string; revision: number; publishedAt: string } | null;
}

/**
 * Reads the public address every 50 ms until `until` says the answer is the awaited one,
 * asserting on the way that nothing changes before `notBefore`; resolves with the moment it
 * changed and the answer then.
 */
async function watchPublic(
  client: GraphQLClient,
  address: { orgSlug: string; slug: string },
  until: (view: Awaited<ReturnType<typeof publicView>>) => boolean,
  notBefore: number,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const askedAt = Date.now();
    const view = await publicView(client, address.orgSlug, address.slug);
    if (until(view)) {
      expect(askedAt, 'the change happened before its scheduled time').toBeGreaterThanOrEqual(notBefore - 50);
      return { seenAt: Date.now(), view };
    }
    if (Date.now() > deadline) throw new Error(`the public page did not change within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function countRows(db: pg.Client, sql: string, values: unknown[]): Promise<number> {
  const { rows } = await db.query<{ count: string }>(sql, values);
  return Number(rows[0]!.count);
}

describe('scheduling a publication', () => {
  test('publishes the draft at the scheduled second, not before, audited as the scheduler and sent to webhooks', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, title: 'Launch', document: documentOf(hero('a', { title: 'Launch' })) });
    const publishAt = inMs(2_000);
    const scheduled = (await member.client.data(schedule, { id: page.id, publishAt })).schedulePagePublication;
    expect(scheduled).toEqual({ id: page.id, status: 'DRAFT', scheduledPublishAt: publishAt, scheduledUnpublishAt: null, scheduledRevision: null });
    expect(await publicView(fixture.graph.client, organization.slug, page.slug)).toBeNull();

    const due = Date.parse(publishAt);
    const { seenAt, view } = await watchPublic(fixture.graph.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v !== null, due);
    const lateness = seenAt - due;
    const recordedLateness = Date.parse(view!.publishedAt) - due;
    console.log(`scheduled publication: published ${recordedLateness} ms after its time, seen by a reader polling every 50 ms ${lateness} ms after it`);
    expect(recordedLateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThanOrEqual(2_000);
    expect(view).toMatchObject({ title: 'Launch', revision: 1 });

    const after = (await member.client.data(pageQuery, { id: page.id })).page;
    expect(after).toMatchObject({ status: 'PUBLISHED', revisionCount: 1, scheduledPublishAt: null, scheduledRevision: null });
    const audit = await fixture.db.query(
      `SELECT actor_type, actor_id, changes FROM audit.entries WHERE target_id = $1 AND action = 'page.published'`,
      [page.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_type: 'SYSTEM', actor_id: 'cms.scheduler' });
    expect(audit.rows[0].changes.after).toMatchObject({ revision: 1, scheduledFor: publishAt, scheduledBy: member.id });
    const events = await fixture.db.query(`SELECT data FROM integrations.webhook_events WHERE type = 'page.published' AND data->>'pageId' = $1`, [page.id]);
    expect(events.rows.map((row) => row.data)).toEqual([{ pageId: page.id, slug: page.slug, locale: 'en', title: 'Launch', revision: 1 }]);
  }, 30_000);

  test('publishes the draft as it is at the scheduled time, not as it was when scheduled', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, title: 'Old', document: documentOf(hero('a', { title: 'Old' })) });
    const publishAt = inMs(1_500);
    await member.client.data(schedule, { id: page.id, publishAt });
    await updatePage(member.client, page.id, 1, { title: 'New', document: documentOf(hero('a', { title: 'New' })) });
    const { view } = await watchPublic(fixture.graph.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v !== null, Date.parse(publishAt));
    expect(view).toMatchObject({ title: 'New', revision: 1 });
  }, 30_000);

  test('republishes the pinned revision rather than the draft when a revision is pinned', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, title: 'First', document: documentOf(hero('a', { title: 'First' })) });
    await publishPage(member.client, page.id);
    await updatePage(member.client, page.id, 1, { title: 'Second', document: documentOf(hero('a', { title: 'Second' })) });
    await publishPage(member.client, page.id);
    await updatePage(member.client, page.id, 2, { title: 'Draft', document: documentOf(hero('a', { title: 'Draft' })) });
    const publishAt = inMs(1_500);
    const scheduled = (await member.client.data(schedule, { id: page.id, publishAt, revision: 1 })).schedulePagePublication;
    expect(scheduled.scheduledRevision).toBe(1);
    const address = { orgSlug: organization.slug, slug: page.slug };
    const { view } = await watchPublic(fixture.graph.client, address, (v) => v?.revision === 3, Date.parse(publishAt));
    expect(view).toMatchObject({ title: 'First', revision: 3 });
    const after = (await member.client.data(`query ($id: ID!) { page(id: $id) { title scheduledRevision } }`, { id: page.id })).page;
    expect(after).toEqual({ title: 'Draft', scheduledRevision: null });
  }, 30_000);

  test('does nothing at the time once cancelled', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await member.client.data(schedule, { id: page.id, publishAt: inMs(1_000), unpublishAt: inMs(5_000) });
    const cancelled = (await member.client.data(schedule, { id: page.id, publishAt: null, unpublishAt: null })).schedulePagePublication;
    expect(cancelled).toMatchObject({ scheduledPublishAt: null, scheduledUnpublishAt: null, scheduledRevision: null });
    await sleep(2_500);
    expect(await publicView(fixture.graph.client, organization.slug, page.slug)).toBeNull();
    expect((await member.client.data(pageQuery, { id: page.id })).page).toMatchObject({ status: 'DRAFT', revisionCount: 0 });
    expect(await countRows(fixture.db, `SELECT count(*) FROM audit.entries WHERE target_id = $1 AND action = 'page.schedule_cancelled'`, [page.id])).toBe(1);
  }, 30_000);

  test('acts only at the new time once rescheduled', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    const first = inMs(1_000);
    await member.client.data(schedule, { id: page.id, publishAt: first });
    const second = inMs(3_000);
    await member.client.data(schedule, { id: page.id, publishAt: second });
    const { view } = await watchPublic(fixture.graph.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v !== null, Date.parse(second));
    expect(view!.revision).toBe(1);
    await sleep(500);
    expect((await member.client.data(pageQuery, { id: page.id })).page).toMatchObject({ revisionCount: 1, scheduledPublishAt: null });
  }, 30_000);

  test('takes a published page off the public site at unpublishAt', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await publishPage(member.client, page.id);
    const unpublishAt = inMs(1_500);
    const scheduled = (await member.client.data(schedule, { id: page.id, unpublishAt })).schedulePagePublication;
    expect(scheduled).toMatchObject({ status: 'PUBLISHED', scheduledPublishAt: null, scheduledUnpublishAt: unpublishAt });
    await watchPublic(fixture.graph.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v === null, Date.parse(unpublishAt));
    expect((await member.client.data(pageQuery, { id: page.id })).page).toMatchObject({ status: 'DRAFT', publishedAt: null, scheduledUnpublishAt: null });
    const audit = await fixture.db.query(`SELECT actor_type FROM audit.entries WHERE target_id = $1 AND action = 'page.unpublished'`, [page.id]);
    expect(audit.rows).toEqual([{ actor_type: 'SYSTEM' }]);
  }, 30_000);

  test('refuses bad times, an unknown revision, an archived page, a VIEWER and an outsider, writing nothing', async () => {
    const { organization, member, viewer } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    const refusals: [GraphQLClient, Record<string, unknown>, string, string | undefined][] = [
      [member.client, { publishAt: inMs(-1_000) }, 'BAD_USER_INPUT', 'publishAt'],
      [member.client, { unpublishAt: inMs(-1_000) }, 'BAD_USER_INPUT', 'unpublishAt'],
      [member.client, { publishAt: inMs(60_000), unpublishAt: inMs(30_000) }, 'BAD_USER_INPUT', 'unpublishAt'],
      [member.client, { publishAt: inMs(60_000), revision: 1 }, 'BAD_USER_INPUT', 'revision'],
      [member.client, { unpublishAt: inMs(60_000), revision: 1 }, 'BAD_USER_INPUT', 'revision'],
      [viewer.client, { publishAt: inMs(60_000) }, 'FORBIDDEN', undefined],
      [(await signUpUser(fixture.graph.client)).client, { publishAt: inMs(60_000) }, 'FORBIDDEN', undefined],
    ];
    for (const [client, variables, code, field] of refusals) {
      const response = await client.request(schedule, { id: page.id, ...variables });
      expect(errorCodes(response), JSON.stringify(variables)).toEqual([code]);
      if (field) expect(response.errors![0]!.extensions?.field).toBe(field);
    }
    await member.client.data(`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: page.id });
    const archived = await member.client.request(schedule, { id: page.id, publishAt: inMs(60_000) });
    expect(errorCodes(archived)).toEqual(['CONFLICT']);

    const stored = await fixture.db.query(
      `SELECT scheduled_publish_at, scheduled_unpublish_at, scheduled_revision, scheduled_by_id FROM cms.pages WHERE id = $1`,
      [page.id],
    );
    expect(stored.rows).toEqual([{ scheduled_publish_at: null, scheduled_unpublish_at: null, scheduled_revision: null, scheduled_by_id: null }]);
    expect(await countRows(fixture.db, `SELECT count(*) FROM jobs.jobs WHERE queue = 'cms.page-schedule' AND payload->>'pageId' = $1`, [page.id])).toBe(0);
    expect(await countRows(fixture.db, `SELECT count(*) FROM audit.entries WHERE target_id = $1 AND action = 'page.scheduled'`, [page.id])).toBe(0);
  }, 30_000);

  test('calls off what was scheduled when the page is archived', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    await member.client.data(schedule, { id: page.id, publishAt: inMs(1_000) });
    await member.client.data(`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: page.id });
    await sleep(2_000);
    expect((await member.client.data(pageQuery, { id: page.id })).page).toMatchObject({ status: 'ARCHIVED', revisionCount: 0, scheduledPublishAt: null });
    expect(await publicView(fixture.graph.client, organization.slug, page.slug)).toBeNull();
  }, 30_000);
});

describe('scheduled publications across instances', () => {
  let scratch: ScratchDatabase | undefined;
  const graphs: TestGraph[] = [];
  afterEach(async () => {
    for (const graph of graphs.splice(0)) await graph.close();
    await scratch?.drop();
    scratch = undefined;
  });

  /** A whole graph on the scratch database, sharing its events and job queues with the others. */
  const prefix = `tnx-test-${randomUUID()}:`;
  async function startGraph(): Promise<TestGraph> {
    const graph = await startTestGraph({ DATABASE_URL: scratch!.url, EVENT_CHANNEL_PREFIX: prefix }, { migrate: graphs.length === 0 });
    graphs.push(graph);
    return graph;
  }

  async function publications(pageId: string) {
    const db = new pg.Client({ connectionString: scratch!.url });
    await db.connect();
    try {
      return {
        revisions: await countRows(db, `SELECT count(*) FROM cms.page_revisions WHERE page_id = $1`, [pageId]),
        auditEntries: await countRows(db, `SELECT count(*) FROM audit.entries WHERE target_id = $1 AND action = 'page.published'`, [pageId]),
        webhookEvents: await countRows(db, `SELECT count(*) FROM integrations.webhook_events WHERE type = 'page.published' AND data->>'pageId' = $1`, [pageId]),
      };
    } finally {
      await db.end();
    }
  }

  test('publishes exactly once with two graphs on one database', async () => {
    scratch = await createScratchDatabase();
    const a = await startGraph();
    const b = await startGraph();
    const { organization, member } = await cmsOrganization(a.client);
    // Several pages due at the same second: each is a race between the two graphs' runners.
    const pages = await Promise.all([1, 2, 3, 4, 5].map(() => createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) })));
    const publishAt = inMs(2_000);
    for (const page of pages) await member.client.data(schedule, { id: page.id, publishAt });
    const due = Date.parse(publishAt);
    for (const page of pages) {
      await watchPublic(b.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v !== null, due);
    }
    console.log(`two graphs: the last of ${pages.length} pages was seen ${Date.now() - due} ms after its time`);
    // Time for a second run, had there been one.
    await sleep(1_000);
    for (const page of pages) {
      expect(await publications(page.id)).toEqual({ revisions: 1, auditEntries: 1, webhookEvents: 1 });
    }
  }, 180_000);

  test('still publishes at its time after the graph that scheduled it restarted', async () => {
    scratch = await createScratchDatabase();
    const first = await startGraph();
    const { organization, member } = await cmsOrganization(first.client);
    const page = await createPage(member.client, { orgId: organization.id, title: 'After restart', document: documentOf(hero('a')) });
    const publishAt = inMs(4_000);
    await member.client.data(schedule, { id: page.id, publishAt });
    await first.close();
    graphs.splice(graphs.indexOf(first), 1);
    const second = await startGraph();
    const due = Date.parse(publishAt);
    const { seenAt, view } = await watchPublic(second.client, { orgSlug: organization.slug, slug: page.slug }, (v) => v !== null, due, 60_000);
    console.log(`after a restart: seen ${seenAt - due} ms after its time`);
    expect(view).toMatchObject({ title: 'After restart', revision: 1 });
    expect(await publications(page.id)).toEqual({ revisions: 1, auditEntries: 1, webhookEvents: 1 });
  }, 180_000);
});
