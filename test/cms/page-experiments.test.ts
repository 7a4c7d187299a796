import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { signUpUser } from '../testkit/seed.ts';
import { traced } from '../testkit/traced.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const experimentFields = `id pageId status goal { formId eventName } startedAt endedAt winner variants { key weight title }`;
const start = `mutation ($pageId: ID!, $input: StartPageExperimentInput!) {
  startPageExperiment(pageId: $pageId, input: $input) { ${experimentFields} }
}`;
const end = `mutation ($pageId: ID!, $promote: String!) { endPageExperiment(pageId: $pageId, promote: $promote) { ${experimentFields} } }`;
const experimentQuery = `query ($pageId: ID!) { pageExperiment(pageId: $pageId) { ${experimentFields} } }`;
const publishedQuery = `query ($orgSlug: String!, $slug: String!, $visitorId: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, visitorId: $visitorId) {
    id title document revision variant experiment { id variants { key weight } goal { formId eventName } }
  }
}`;

const boldDocument = documentOf(hero('top', { title: 'Bold headline' }));
const calmDocument = documentOf(hero('top', { title: 'Calm headline' }));

/** Three variants: control 50 %, bold 30 %, calm 20 %; the goal is a `signup` event. */
const threeWay = {
  variants: [
    { key: 'control', weight: 50 },
    { key: 'bold', weight: 30, title: 'Bold title', document: boldDocument },
    { key: 'calm', weight: 20, title: 'Calm title', document: calmDocument },
  ],
  goal: { eventName: 'signup' },
};

async function publishedPageOf(cms: CmsOrganization) {
  const page = await createPage(cms.member.client, {
    orgId: cms.organization.id,
    title: 'Original title',
    document: documentOf(hero('top', { title: 'Original headline' })),
  });
  return publishPage(cms.member.client, page.id);
}

async function view(client: GraphQLClient, orgSlug: string, slug: string, visitorId?: string) {
  return (await client.data(publishedQuery, { orgSlug, slug, ...(visitorId === undefined ? {} : { visitorId }) })).publishedPage;
}

/** A visitor id that the experiment assigns `key`, found by asking the public site. */
async function visitorFor(client: GraphQLClient, orgSlug: string, slug: string, key: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const visitor = `visitor-${key}-${i}`;
    if ((await view(client, orgSlug, slug, visitor)).variant === key) return visitor;
  }
  throw new Error(`no visitor was assigned ${key}`);
}

describe('starting an experiment', () => {
  test('stores its variants in order with control as the live revision, audited, readable by any member', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const started = await traced(fixture.db, cms.member.client, start, { pageId: page.id, input: threeWay });
    expect(started.response.errors).toBeUndefined();
    const experiment = started.response.data!.startPageExperiment;
    expect(experiment).toMatchObject({
      pageId: page.id,
      status: 'RUNNING',
      goal: { formId: null, eventName: 'signup' },
      endedAt: null,
      winner: null,
      variants: [
        { key: 'control', weight: 50, title: 'Original title' },
        { key: 'bold', weight: 30, title: 'Bold title' },
        { key: 'calm', weight: 20, title: 'Calm title' },
      ],
    });
    expect(started.entries).toEqual([
      expect.objectContaining({
        action: 'page.experiment_started',
        target_type: 'page',
        target_id: page.id,
        actor_id: cms.member.id,
        changes: {
          after: {
            experiment: experiment.id,
            variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 30 }, { key: 'calm', weight: 20 }],
            goal: { eventName: 'signup' },
          },
        },
      }),
    ]);
    const stored = await fixture.db.query('SELECT key, position, weight, title, document FROM cms.page_experiment_variants WHERE experiment_id = $1 ORDER BY position', [experiment.id]);
    expect(stored.rows).toEqual([
      { key: 'control', position: 0, weight: 50, title: null, document: null },
      { key: 'bold', position: 1, weight: 30, title: 'Bold title', document: boldDocument },
      { key: 'calm', position: 2, weight: 20, title: 'Calm title', document: calmDocument },
    ]);
    expect((await cms.viewer.client.data(experimentQuery, { pageId: page.id })).pageExperiment).toEqual(experiment);
  });

  test('is for OWNERs, ADMINs and MEMBERs; a VIEWER or an outsider is refused, and an outsider cannot read it', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const outsider = await signUpUser(fixture.graph.client);
    expect(errorCodes(await cms.viewer.client.request(start, { pageId: page.id, input: threeWay }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await outsider.client.request(start, { pageId: page.id, input: threeWay }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await fixture.graph.client.request(start, { pageId: page.id, input: threeWay }))).toEqual(['UNAUTHENTICATED']);
    await cms.admin.client.data(start, { pageId: page.id, input: threeWay });
    expect(errorCodes(await outsider.client.request(experimentQuery, { pageId: page.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await cms.viewer.client.request(end, { pageId: page.id, promote: 'bold' }))).toEqual(['FORBIDDEN']);
  });

  test('is refused for a page that is not published, and while another runs (CONFLICT)', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const draft = await createPage(cms.member.client, { orgId: cms.organization.id, document: documentOf(hero('a')) });
    expect(errorCodes(await cms.member.client.request(start, { pageId: draft.id, input: threeWay }))).toEqual(['CONFLICT']);
    const page = await publishedPageOf(cms);
    // Two starts racing: exactly one wins.
    const raced = await Promise.all([
      cms.member.client.request(start, { pageId: page.id, input: threeWay }),
      cms.owner.client.request(start, { pageId: page.id, input: threeWay }),
    ]);
    expect(raced.map(errorCodes).flat()).toEqual(['CONFLICT']);
    expect(errorCodes(await cms.member.client.request(start, { pageId: page.id, input: threeWay }))).toEqual(['CONFLICT']);
    const running = await fixture.db.query(`SELECT count(*)::int AS n FROM cms.page_experiments WHERE page_id = $1`, [page.id]);
    expect(running.rows[0].n).toBe(1);
  });

  test.each([
    ['one variant', { variants: [{ key: 'control', weight: 100 }] }, 'input.variants'],
    ['six variants', { variants: ['control', 'a', 'b', 'c', 'd', 'e'].map((key) => ({ key, weight: key === 'control' ? 50 : 10, ...(key === 'control' ? {} : { title: key, document: boldDocument }) })) }, 'input.variants'],
    ['no control', { variants: [{ key: 'bold', weight: 50, title: 'B', document: boldDocument }, { key: 'calm', weight: 50, title: 'C', document: calmDocument }] }, 'input.variants'],
    ['weights not summing to 100', { variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 40, title: 'B', document: boldDocument }] }, 'input.variants[1].weight'],
    ['a weight of 0', { variants: [{ key: 'control', weight: 100 }, { key: 'bold', weight: 0, title: 'B', document: boldDocument }] }, 'input.variants[1].weight'],
    ['a key of the wrong shape', { variants: [{ key: 'control', weight: 50 }, { key: 'Bold!', weight: 50, title: 'B', document: boldDocument }] }, 'input.variants[1].key'],
    ['a key given twice', { variants: [{ key: 'control', weight: 50 }, { key: 'b', weight: 25, title: 'B', document: boldDocument }, { key: 'b', weight: 25, title: 'B', document: boldDocument }] }, 'input.variants[2].key'],
    ['content for control', { variants: [{ key: 'control', weight: 50, title: 'Nope' }, { key: 'bold', weight: 50, title: 'B', document: boldDocument }] }, 'input.variants[0].title'],
    ['a variant without a document', { variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 50, title: 'B' }] }, 'input.variants[1].document'],
    ['a variant without a title', { variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 50, document: boldDocument }] }, 'input.variants[1].title'],
    ['a document that breaks its component', { variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 50, title: 'B', document: documentOf(hero('x', { title: 42 })) }] }, 'input.variants[1].document.children[0].props.title'],
    ['two goals', { goal: { eventName: 'signup', formId: 'newsletter' } }, 'input.goal'],
    ['no goal', { goal: {} }, 'input.goal'],
  ])('refuses %s (BAD_USER_INPUT naming the field) and stores nothing', async (_name, change, field) => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const response = await cms.member.client.request(start, { pageId: page.id, input: { ...threeWay, ...change } });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    const stored = await fixture.db.query('SELECT count(*)::int AS n FROM cms.page_experiments WHERE page_id = $1', [page.id]);
    expect(stored.rows[0].n).toBe(0);
  });
});

describe('the public site during an experiment', () => {
  test("serves a visitor their variant's title and document, the same every time, and names it", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const experiment = (await cms.member.client.data(start, { pageId: page.id, input: threeWay })).startPageExperiment;
    const { slug: orgSlug } = cms.organization;
    const boldVisitor = await visitorFor(fixture.graph.client, orgSlug, page.slug, 'bold');
    const controlVisitor = await visitorFor(fixture.graph.client, orgSlug, page.slug, 'control');
    const publicExperiment = {
      id: experiment.id,
      variants: [{ key: 'control', weight: 50 }, { key: 'bold', weight: 30 }, { key: 'calm', weight: 20 }],
      goal: { formId: null, eventName: 'signup' },
    };
    for (let i = 0; i < 3; i++) {
      expect(await view(fixture.graph.client, orgSlug, page.slug, boldVisitor)).toEqual({
        id: page.id,
        title: 'Bold title',
        document: boldDocument,
        revision: 1,
        variant: 'bold',
        experiment: publicExperiment,
      });
    }
    expect(await view(fixture.graph.client, orgSlug, page.slug, controlVisitor)).toMatchObject({
      title: 'Original title',
      document: documentOf(hero('top', { title: 'Original headline' })),
      variant: 'control',
    });
    // Without a visitor id: the live revision, no variant; other variants' content never shows.
    const anonymous = await view(fixture.graph.client, orgSlug, page.slug);
    expect(anonymous).toMatchObject({ title: 'Original title', variant: null, experiment: publicExperiment });
    expect(JSON.stringify(anonymous)).not.toContain('Calm');
  });

  test('refuses a visitor id longer than 128 characters', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const response = await fixture.graph.client.request(publishedQuery, { orgSlug: cms.organization.slug, slug: page.slug, visitorId: 'v'.repeat(129) });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('visitorId');
    expect((await view(fixture.graph.client, cms.organization.slug, page.slug, 'v'.repeat(128))).variant).toBeNull();
  });

  test("the gateway's cache keeps no visitor's variant (an answer for one visitor alone), and drops the shared answer when the experiment ends", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    await cms.member.client.data(start, { pageId: page.id, input: threeWay });
    const { slug: orgSlug } = cms.organization;
    const boldVisitor = await visitorFor(fixture.graph.client, orgSlug, page.slug, 'bold');
    const calmVisitor = await visitorFor(fixture.graph.client, orgSlug, page.slug, 'calm');
    const ask = (visitorId?: string) => fixture.graph.client.request(publishedQuery, { orgSlug, slug: page.slug, ...(visitorId ? { visitorId } : {}) });
    const boldAgain = await ask(boldVisitor);
    expect(boldAgain.headers.get('cache-status')).not.toMatch(/hit/);
    expect(boldAgain.headers.get('cache-control')).not.toMatch(/public/);
    expect(boldAgain.data!.publishedPage.variant).toBe('bold');
    const calmAgain = await ask(calmVisitor);
    expect(calmAgain.data!.publishedPage).toMatchObject({ variant: 'calm', title: 'Calm title' });
    // Without a visitor id the answer is everyone's: cached as before.
    await ask();
    const shared = await ask();
    expect(shared.headers.get('cache-status')).toMatch(/hit/);
    expect(shared.data!.publishedPage).toMatchObject({ variant: null, title: 'Original title' });
    await cms.member.client.data(end, { pageId: page.id, promote: 'control' });
    const afterEnd = await ask();
    expect(afterEnd.headers.get('cache-status')).not.toMatch(/hit/);
    expect(afterEnd.data!.publishedPage).toMatchObject({ variant: null, experiment: null, title: 'Original title' });
    const visitorAfterEnd = await ask(boldVisitor);
    expect(visitorAfterEnd.data!.publishedPage).toMatchObject({ variant: null, experiment: null, title: 'Original title' });
  });
});

describe('ending an experiment', () => {
  test('promoting a variant publishes its title and document as the next revision, audited, with its webhook event', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    const experiment = (await cms.member.client.data(start, { pageId: page.id, input: threeWay })).startPageExperiment;
    // An SEO edit of the draft nobody published: the variant replaces it, it does not go live.
    await updatePage(cms.member.client, page.id, page.version, { seo: { title: 'Unreviewed', noIndex: true } });
    const ended = await traced(fixture.db, cms.member.client, end, { pageId: page.id, promote: 'calm' });
    expect(ended.response.errors).toBeUndefined();
    expect(ended.response.data!.endPageExperiment).toMatchObject({
      id: experiment.id,
      status: 'ENDED',
      winner: 'calm',
      endedAt: expect.any(String),
      variants: [
        { key: 'control', weight: 50, title: 'Original title' },
        { key: 'bold', weight: 30, title: 'Bold title' },
        { key: 'calm', weight: 20, title: 'Calm title' },
      ],
    });
    expect(ended.entries.map((entry) => entry.action)).toEqual(['page.experiment_ended', 'page.published']);
    expect(ended.entries[1]!.changes).toMatchObject({ after: { revision: 2, title: 'Calm title', promoted: { experiment: experiment.id, variant: 'calm' } } });
    const webhook = await fixture.db.query(`SELECT data FROM integrations.webhook_events WHERE organization_id = $1 AND type = 'page.published' ORDER BY created_at DESC LIMIT 1`, [cms.organization.id]);
    expect(webhook.rows[0].data).toMatchObject({ pageId: page.id, revision: 2, title: 'Calm title' });
    // Everyone now gets the promoted content as revision 2, with or without a visitor id.
    for (const visitorId of [undefined, 'someone']) {
      expect(await view(fixture.graph.client, cms.organization.slug, page.slug, visitorId)).toMatchObject({
        title: 'Calm title',
        document: calmDocument,
        revision: 2,
        variant: null,
        experiment: null,
      });
    }
    const draft = (await cms.member.client.data(`query ($id: ID!) { page(id: $id) { title document version revisionCount seo { title noIndex } } }`, { id: page.id })).page;
    expect(draft).toEqual({ title: 'Calm title', document: calmDocument, version: 2, revisionCount: 2, seo: { title: null, noIndex: null } });
    const live = await fixture.graph.client.data(`query ($orgSlug: String!, $slug: String!) { publishedPage(orgSlug: $orgSlug, slug: $slug) { seo { title noIndex } } }`, {
      orgSlug: cms.organization.slug,
      slug: page.slug,
    });
    expect(live.publishedPage.seo).toEqual({ title: null, noIndex: null });
    // The ended experiment stays readable, and a new one may start.
    expect((await cms.viewer.client.data(experimentQuery, { pageId: page.id })).pageExperiment).toMatchObject({ id: experiment.id, status: 'ENDED', winner: 'calm' });
    await cms.member.client.data(start, { pageId: page.id, input: threeWay });
  });

  test('keeping control leaves the page as it is', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    await cms.member.client.data(start, { pageId: page.id, input: threeWay });
    const ended = await traced(fixture.db, cms.member.client, end, { pageId: page.id, promote: 'control' });
    expect(ended.response.data!.endPageExperiment).toMatchObject({ status: 'ENDED', winner: 'control' });
    expect(ended.entries.map((entry) => entry.action)).toEqual(['page.experiment_ended']);
    expect(await view(fixture.graph.client, cms.organization.slug, page.slug, 'anyone')).toMatchObject({ title: 'Original title', revision: 1, variant: null });
  });

  test('refuses an unknown variant (BAD_USER_INPUT on promote) and a page running none (NOT_FOUND)', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    expect(errorCodes(await cms.member.client.request(end, { pageId: page.id, promote: 'control' }))).toEqual(['NOT_FOUND']);
    await cms.member.client.data(start, { pageId: page.id, input: threeWay });
    for (const promote of ['missing', 'Not A Key']) {
      const response = await cms.member.client.request(end, { pageId: page.id, promote });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('promote');
    }
    expect((await cms.member.client.data(experimentQuery, { pageId: page.id })).pageExperiment.status).toBe('RUNNING');
  });

  test('unpublishing the page ends it without promotion, and so does archiving', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    for (const action of ['unpublishPage', 'archivePage']) {
      const page = await publishedPageOf(cms);
      await cms.member.client.data(start, { pageId: page.id, input: threeWay });
      const changed = await traced(fixture.db, cms.member.client, `mutation ($id: ID!) { ${action}(id: $id) { id } }`, { id: page.id });
      expect(changed.entries.map((entry) => entry.action)).toEqual([
        action === 'unpublishPage' ? 'page.unpublished' : 'page.archived',
        'page.experiment_ended',
      ]);
      const experiment = (await cms.member.client.data(experimentQuery, { pageId: page.id })).pageExperiment;
      expect(experiment).toMatchObject({ status: 'ENDED', winner: null, endedAt: expect.any(String) });
      if (action === 'unpublishPage') {
        await publishPage(cms.member.client, page.id);
        expect(await view(fixture.graph.client, cms.organization.slug, page.slug, 'anyone')).toMatchObject({ variant: null, experiment: null });
      }
    }
  });

  test('ending it while the page is unpublished takes turns: one ends it, no server error', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    for (let round = 0; round < 3; round++) {
      const page = await publishedPageOf(cms);
      await cms.member.client.data(start, { pageId: page.id, input: threeWay });
      const [ended, unpublished] = await Promise.all([
        cms.member.client.request(end, { pageId: page.id, promote: 'bold' }),
        cms.owner.client.request(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: page.id }),
      ]);
      expect([...errorCodes(ended), ...errorCodes(unpublished)].every((code) => code === 'NOT_FOUND' || code === 'CONFLICT')).toBe(true);
      const experiment = (await cms.member.client.data(experimentQuery, { pageId: page.id })).pageExperiment;
      expect(experiment.status).toBe('ENDED');
      expect(experiment.winner).toBe(errorCodes(ended).length === 0 ? 'bold' : null);
    }
  });

  test('a scheduled unpublication ends it without promotion too', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    await cms.member.client.data(start, { pageId: page.id, input: threeWay });
    await cms.member.client.data(`mutation ($id: ID!, $at: DateTime) { schedulePagePublication(id: $id, unpublishAt: $at) { id } }`, {
      id: page.id,
      at: new Date(Date.now() + 1_000).toISOString(),
    });
    const deadline = Date.now() + 20_000;
    let experiment: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      experiment = (await cms.member.client.data(experimentQuery, { pageId: page.id })).pageExperiment;
      if (experiment.status === 'ENDED') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(experiment).toMatchObject({ status: 'ENDED', winner: null });
    const trail = await fixture.db.query(`SELECT action FROM audit.entries WHERE target_id = $1 ORDER BY sequence`, [page.id]);
    expect(trail.rows.map((row) => row.action).slice(-2)).toEqual(['page.unpublished', 'page.experiment_ended']);
  });

  test('a page never experimented on has no experiment', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const page = await publishedPageOf(cms);
    await updatePage(cms.member.client, page.id, page.version, { title: 'Edited' });
    expect((await cms.member.client.data(experimentQuery, { pageId: page.id })).pageExperiment).toBeNull();
  });
});
