import { assignVariant } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { unique } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

/**
 * Translations, experiments and forms together on the public site: the translation is
 * chosen first, then the visitor's variant of it, and a form is the one in what that
 * visitor was shown.
 */
const fixture = useTestGraph();

const publishedQuery = `query ($orgSlug: String!, $slug: String!, $locale: String, $visitorId: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, locale: $locale, visitorId: $visitorId) { id locale title variant }
}`;

const submitMutation = `mutation ($orgSlug: String!, $pageSlug: String!, $formId: String!, $values: JSON!, $locale: String, $visitorId: String) {
  submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: $formId, values: $values, locale: $locale, visitorId: $visitorId) { id }
}`;

const startMutation = `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`;

function form(id: string, fields: Record<string, unknown>[]) {
  return { id, component: 'form', props: { fields }, children: [] };
}

const email = { name: 'email', type: 'email', label: 'Email', required: true };
const name = { name: 'name', type: 'text', label: 'Name', required: true };

async function publishedTranslation(cms: CmsOrganization, slug: string, locale: string, title: string, ...children: unknown[]) {
  const page = await createPage(cms.member.client, { orgId: cms.organization.id, slug, locale, title, document: documentOf(hero('top'), ...children) });
  return publishPage(cms.member.client, page.id);
}

async function startHalves(cms: CmsOrganization, pageId: string, variant: { title: string; document: unknown }, goal: Record<string, string>) {
  const variants = [
    { key: 'control', weight: 50 },
    { key: 'b', weight: 50, ...variant },
  ];
  const { startPageExperiment } = await cms.member.client.data(startMutation, { pageId, input: { variants, goal } });
  return { id: startPageExperiment.id as string, variants };
}

/** A visitor id the experiment assigns `key`. */
function visitorOf(experiment: { id: string; variants: { key: string; weight: number }[] }, key: string): string {
  for (let i = 0; ; i++) {
    const id = `visitor-${unique()}-${i}`;
    if (assignVariant(experiment.id, id, experiment.variants) === key) return id;
  }
}

function view(client: GraphQLClient, orgSlug: string, slug: string, locale: string, visitorId: string) {
  return client.data(publishedQuery, { orgSlug, slug, locale, visitorId });
}

describe('the public site with translations, experiments and forms', () => {
  test("a translation's experiment shows only in that translation", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const slug = `landing-${unique()}`;
    await publishedTranslation(cms, slug, 'en', 'Hello');
    const de = await publishedTranslation(cms, slug, 'de', 'Hallo');
    const experiment = await startHalves(cms, de.id, { title: 'Servus', document: documentOf(hero('top')) }, { eventName: 'signup' });
    const visitor = visitorOf(experiment, 'b');
    const orgSlug = cms.organization.slug;
    expect((await view(fixture.graph.client, orgSlug, slug, 'de-AT', visitor)).publishedPage).toEqual({ id: de.id, locale: 'de', title: 'Servus', variant: 'b' });
    expect((await view(fixture.graph.client, orgSlug, slug, 'en', visitor)).publishedPage).toMatchObject({ locale: 'en', title: 'Hello', variant: null });
  });

  test("a form is checked as the visitor's variant and translation show it, and its lead names that variant", async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const slug = `signup-${unique()}`;
    const orgSlug = cms.organization.slug;
    // English: no form on the live page, a signup form only in variant b. German: the form asks for a name too.
    const en = await publishedTranslation(cms, slug, 'en', 'Join');
    await publishedTranslation(cms, slug, 'de', 'Mitmachen', form('signup', [email, name]));
    const experiment = await startHalves(cms, en.id, { title: 'Join now', document: documentOf(hero('top'), form('signup', [email])) }, { formId: 'signup' });
    const control = visitorOf(experiment, 'control');
    const shownB = visitorOf(experiment, 'b');
    const submit = (values: unknown, locale: string, visitorId?: string) =>
      fixture.graph.client.request(submitMutation, { orgSlug, pageSlug: slug, formId: 'signup', values, locale, ...(visitorId ? { visitorId } : {}) });

    expect(errorCodes(await submit({ email: 'a@example.com' }, 'en', control))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await submit({ email: 'a@example.com' }, 'en'))).toEqual(['NOT_FOUND']);
    const accepted = await submit({ email: 'b@example.com' }, 'en', shownB);
    expect(accepted.errors).toBeUndefined();
    const germanWithoutName = await submit({ email: 'c@example.com' }, 'de', shownB);
    expect(errorCodes(germanWithoutName)).toEqual(['BAD_USER_INPUT']);
    expect(germanWithoutName.errors![0]!.extensions!.field).toBe('values.name');
    expect((await submit({ email: 'c@example.com', name: 'Clara' }, 'de', shownB)).errors).toBeUndefined();

    const { rows } = await fixture.db.query<{ page_id: string; locale: string; experiment: unknown }>(
      `SELECT s.page_id, s.locale, e.data->'experiment' AS experiment
       FROM cms.form_submissions s JOIN integrations.webhook_events e ON e.type = 'form.submitted' AND e.data->>'submissionId' = s.id::text
       WHERE s.organization_id = $1 ORDER BY s.created_at`,
      [cms.organization.id],
    );
    expect(rows).toEqual([
      { page_id: en.id, locale: 'en', experiment: { id: experiment.id, variant: 'b' } },
      { page_id: expect.not.stringMatching(en.id), locale: 'de', experiment: null },
    ]);
  });
});
