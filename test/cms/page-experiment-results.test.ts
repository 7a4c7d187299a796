import { assignVariant } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { settled, trackMutation } from '../analytics/analytics-kit.ts';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

/**
 * An experiment's results, end to end: views and goal events sent with trackEvent and
 * form submissions sent with submitForm become per-variant visitors and conversions,
 * read through the gateway on the cms' PageExperiment (analytics' `results`).
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const halves = [
  { key: 'control', weight: 50 },
  { key: 'bold', weight: 50, title: 'Bold', document: documentOf(hero('a', { title: 'Bold' })) },
];

const resultsQuery = `query ($pageId: ID!) {
  pageExperiment(pageId: $pageId) {
    id status
    results { method variants { key visitors conversions conversionRate zScore pValue significant } }
  }
}`;

/** A `form` node asking for an email address. */
function emailForm(id: string) {
  return { id, component: 'form', props: { fields: [{ name: 'email', type: 'email', label: 'Email', required: true }] }, children: [] };
}

async function experimentOn(cms: CmsOrganization, goal: Record<string, string>) {
  const page = await createPage(cms.member.client, { orgId: cms.organization.id, title: 'Landing', document: documentOf(hero('a')) });
  await publishPage(cms.member.client, page.id);
  const experiment = (
    await cms.member.client.data(
      `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`,
      { pageId: page.id, input: { variants: halves, goal } },
    )
  ).startPageExperiment as { id: string };
  return { page, experiment };
}

/** `count` visitor ids the experiment assigns each variant, as the shared assignment does. */
function visitorsByVariant(experimentId: string, count: number): Record<string, string[]> {
  const byVariant: Record<string, string[]> = { control: [], bold: [] };
  for (let i = 0; byVariant.control!.length < count || byVariant.bold!.length < count; i++) {
    const id = `visitor-${experimentId.slice(-6)}-${i}`;
    const list = byVariant[assignVariant(experimentId, id, halves)]!;
    if (list.length < count) list.push(id);
  }
  return byVariant;
}

async function track(client: GraphQLClient, orgSlug: string, pageSlug: string, name: string, visitorId: string) {
  const response = await client.request(trackMutation, { input: { name, orgSlug, pageSlug, visitorId } });
  expect(response.errors).toBeUndefined();
}

async function resultsOf(client: GraphQLClient, pageId: string) {
  return (await client.data(resultsQuery, { pageId })).pageExperiment.results;
}

describe('experiment results', () => {
  test('count distinct visitors and goal conversions per variant, tested against control', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const { page, experiment } = await experimentOn(cms, { eventName: 'signup' });
    const visitors = visitorsByVariant(experiment.id, 20);
    const send = (name: string, visitorId: string) => track(fixture.graph.client, cms.organization.slug, page.slug, name, visitorId);
    // Every visitor views the page (a few twice); 5 of 20 convert on control, 15 of 20 on bold.
    await Promise.all([...visitors.control!, ...visitors.bold!].map((id) => send('page_view', id)));
    await Promise.all(visitors.control!.slice(0, 3).map((id) => send('page_view', id)));
    await Promise.all([...visitors.control!.slice(0, 5), ...visitors.bold!.slice(0, 15)].map((id) => send('signup', id)));
    // Counted once: a second signup; not at all: a visitor who never viewed the page, another event name.
    await send('signup', visitors.bold![0]!);
    await send('signup', 'never-viewed');
    await send('newsletter', visitors.bold![19]!);

    // Pooled p̂ = 20/40 = 0.5; SE = √(0.25 · (1/20 + 1/20)) = 0.1581…; z = (0.75 − 0.25) / SE = √10 = 3.1623;
    // p = erfc(√10 / √2) = erfc(√5) = 0.001565…
    const expected = {
      method: 'two-proportion z-test, pooled, two-sided, α = 0.05, each variant against control',
      variants: [
        { key: 'control', visitors: 20, conversions: 5, conversionRate: 0.25, zScore: null, pValue: null, significant: false },
        { key: 'bold', visitors: 20, conversions: 15, conversionRate: 0.75, zScore: expect.closeTo(Math.sqrt(10), 9), pValue: expect.closeTo(0.0015654022580025, 12), significant: true },
      ],
    };
    expect(await resultsOf(cms.viewer.client, page.id)).toEqual(expected);
    const stored = await fixture.db.query('SELECT count(*)::int AS n FROM analytics.experiment_exposures WHERE experiment_id = $1', [experiment.id]);
    expect(stored.rows[0].n).toBe(40);
  });

  test('start at zero, and are for members only', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const { page } = await experimentOn(cms, { eventName: 'signup' });
    expect((await resultsOf(cms.viewer.client, page.id)).variants).toEqual([
      { key: 'control', visitors: 0, conversions: 0, conversionRate: 0, zScore: null, pValue: null, significant: false },
      { key: 'bold', visitors: 0, conversions: 0, conversionRate: 0, zScore: null, pValue: null, significant: false },
    ]);
    const outsider = await signUpUser(fixture.graph.client);
    expect(errorCodes(await outsider.client.request(resultsQuery, { pageId: page.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await fixture.graph.client.request(resultsQuery, { pageId: page.id }))).toEqual(['UNAUTHENTICATED']);
  });

  test("count a visitor's submission of the goal's form as a conversion of their variant, once", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    // Both variants hold both forms; the goal is the newsletter form.
    const forms = [emailForm('newsletter'), emailForm('contact')];
    const page = await createPage(cms.member.client, { orgId: cms.organization.id, title: 'Landing', document: documentOf(hero('a'), ...forms) });
    await publishPage(cms.member.client, page.id);
    const withForms = [
      { key: 'control', weight: 50 },
      { key: 'bold', weight: 50, title: 'Bold', document: documentOf(hero('a', { title: 'Bold' }), ...forms) },
    ];
    const experiment = (
      await cms.member.client.data(
        `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`,
        { pageId: page.id, input: { variants: withForms, goal: { formId: 'newsletter' } } },
      )
    ).startPageExperiment as { id: string };
    const visitors = visitorsByVariant(experiment.id, 2);
    const [converted, alsoViewed] = visitors.bold as [string, string];
    for (const id of [...visitors.control!, ...visitors.bold!]) await track(fixture.graph.client, cms.organization.slug, page.slug, 'page_view', id);

    const submit = async (visitorId: string, formId: string) => {
      const response = await fixture.graph.client.request(
        `mutation ($orgSlug: String!, $pageSlug: String!, $formId: String!, $visitorId: String) {
          submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: $formId, values: { email: "someone@example.com" }, visitorId: $visitorId) { id }
        }`,
        { orgSlug: cms.organization.slug, pageSlug: page.slug, formId, visitorId },
      );
      expect(response.errors).toBeUndefined();
    };
    await submit(converted, 'newsletter');
    await submit(converted, 'newsletter');
    await submit(alsoViewed, 'contact');
    // Without a visitor id a lead has no variant to count for.
    await submit(null as unknown as string, 'newsletter');

    const events = await fixture.db.query<{ experiment: unknown }>(
      `SELECT data->'experiment' AS experiment FROM integrations.webhook_events WHERE organization_id = $1 AND type = 'form.submitted' ORDER BY created_at, id`,
      [cms.organization.id],
    );
    const shown = { id: experiment.id, variant: 'bold' };
    expect(events.rows.map((row) => row.experiment)).toEqual([shown, shown, shown, null]);
    const counted = (await settled(
      async () => (await resultsOf(cms.member.client, page.id)).variants.map((v: Record<string, unknown>) => [v.key, v.visitors, v.conversions]),
      [['control', 2, 0], ['bold', 2, 1]],
    )) as unknown[];
    expect(counted).toEqual([['control', 2, 0], ['bold', 2, 1]]);
  });

  test('stay readable once the experiment has ended, with nothing after the end counted', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const { page, experiment } = await experimentOn(cms, { eventName: 'signup' });
    const visitors = visitorsByVariant(experiment.id, 2);
    const send = (name: string, visitorId: string) => track(fixture.graph.client, cms.organization.slug, page.slug, name, visitorId);
    await send('page_view', visitors.bold![0]!);
    await cms.member.client.data(`mutation ($pageId: ID!) { endPageExperiment(pageId: $pageId, promote: "control") { id } }`, { pageId: page.id });
    // Analytics may still hold the experiment for up to a minute, and record these: they are after the end.
    await send('page_view', visitors.bold![1]!);
    await send('signup', visitors.bold![0]!);
    const ended = (await cms.member.client.data(resultsQuery, { pageId: page.id })).pageExperiment;
    expect(ended).toMatchObject({ id: experiment.id, status: 'ENDED' });
    expect(ended.results.variants.map((v: Record<string, unknown>) => [v.key, v.visitors, v.conversions])).toEqual([
      ['control', 0, 0],
      ['bold', 1, 0],
    ]);
    const recorded = await fixture.db.query('SELECT count(*)::int AS n FROM analytics.experiment_exposures WHERE experiment_id = $1', [experiment.id]);
    expect(recorded.rows[0].n).toBe(2);
  });
});
