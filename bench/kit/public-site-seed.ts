import type { BenchServers } from './bench-servers.ts';
import type { Checkout } from './checkout.ts';
import type { GraphQLClient } from './client.ts';
import { mapConcurrently } from './concurrency.ts';
import type { ProductionSetting } from './production-graph.ts';
import { progress } from './run-benchmark.ts';
import { createOrganization, range, seedConcurrency, signUp, type SeededUser } from './seed.ts';
import { prepareSeededDatabase } from './seeded-database.ts';
import type { StatementCounter } from './statement-stats.ts';

/** Where the public site shows a page: the organization's slug and the page's. */
export interface PageAddress {
  orgSlug: string;
  slug: string;
}

/** A form of the public site: what `submitForm` names. */
export interface FormAddress {
  orgSlug: string;
  pageSlug: string;
  formId: string;
}

/** What the public-site bench asks for, as seeded. */
export interface PublicSite {
  /** A published page in one locale, running no experiment: what every checkout serves. */
  plain: PageAddress;
  /** What only a checkout with translations, experiments and forms has (unset for the baseline). */
  cms?: {
    /** The same slug in `en`, `de` and `pt-BR`, all published; the organization's default `en`, fallbacks `["de"]`. */
    translated: PageAddress;
    /** A published page running an experiment: `control` 50, `b` 50. */
    experiment: PageAddress;
    /** Published pages, each with one form (one field of each common type, no notification emails). */
    forms: FormAddress[];
  };
}

/** A checkout ready to measure: its own database, migrated and seeded with a public site. */
export interface PreparedSite {
  checkout: Checkout;
  /** Where its graphs run, but for the cache setting. */
  setting: Omit<ProductionSetting, 'cache'>;
  /** Counts the statements sent to its database. */
  statements: StatementCounter;
  site: PublicSite;
  /** Drops its database. */
  close(): Promise<void>;
}

/** The site's component: the page documents are made of it (and of `form`). */
const heroSchema = {
  type: 'object',
  properties: { title: { type: 'string', maxLength: 120 }, subtitle: { type: 'string', maxLength: 300 } },
  required: ['title'],
  additionalProperties: false,
};

/** The values a visitor sends to every seeded form: valid for `contactForm`. */
export const leadValues = { name: 'Ada Lovelace', email: 'ada@example.com', seats: 12, plan: 'team', terms: true };

/**
 * A checkout with a public site: its own database (see prepareSeededDatabase) seeded with
 * the plain page, and with `cms` the translated page, the experiment and `cms.formPages`
 * pages with a form.
 */
export async function preparePublicSite(
  checkout: Checkout,
  servers: BenchServers,
  common: { secrets: Record<string, string>; runDir: string; cms: { formPages: number } | undefined },
): Promise<PreparedSite> {
  const { seeded, ...prepared } = await prepareSeededDatabase(
    checkout,
    servers,
    { ...common, keyPrefix: `tnx-bench-site-${checkout.label}:` },
    (gateway) => {
      progress(`${checkout.label}: seeding the public site through the API…`);
      return seedPublicSite(gateway, common.cms);
    },
  );
  return { ...prepared, site: seeded };
}

/**
 * Seeds through the public API, as a site's editors would: an owner signs up, creates the
 * organization `plain-site` with a `Hero` component and publishes its page `pricing`;
 * with `cms`, also `global-site` (default `en`, fallbacks `["de"]`) with `pricing` in
 * three locales, `landing` running an experiment, and the form pages `contact-<n>`.
 */
export async function seedPublicSite(gateway: GraphQLClient, cms: { formPages: number } | undefined): Promise<PublicSite> {
  const owner = await signUp(gateway, 'site-owner', 'Sam Site');
  const plainOrg = await siteOrganization(owner, 'Plain Site', 'plain-site');
  await publishedPage(owner, { orgId: plainOrg.id, slug: 'pricing', title: 'Pricing', document: pageDocument('Pricing') });
  const plain = { orgSlug: plainOrg.slug, slug: 'pricing' };
  if (!cms) return { plain };

  const org = await siteOrganization(owner, 'Global Site', 'global-site');
  await owner.client.data(
    `mutation ($orgId: ID!, $input: SiteSettingsInput!) { updateSiteSettings(orgId: $orgId, input: $input) { orgId } }`,
    { orgId: org.id, input: { defaultLocale: 'en', fallbackLocales: ['de'] } },
  );
  const pricing = await publishedPage(owner, { orgId: org.id, slug: 'pricing', title: 'Pricing', locale: 'en', document: pageDocument('Pricing') });
  for (const [locale, title] of [['de', 'Preise'], ['pt-BR', 'Preços']] as const) {
    const { createPageTranslation } = await owner.client.data<{ createPageTranslation: { id: string } }>(
      `mutation ($pageId: ID!, $locale: String!, $title: String) { createPageTranslation(pageId: $pageId, locale: $locale, title: $title) { id } }`,
      { pageId: pricing, locale, title },
    );
    await publish(owner, createPageTranslation.id);
  }

  const landing = await publishedPage(owner, { orgId: org.id, slug: 'landing', title: 'Landing', document: pageDocument('Landing') });
  await owner.client.data(
    `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`,
    {
      pageId: landing,
      input: {
        variants: [
          { key: 'control', weight: 50 },
          { key: 'b', weight: 50, title: 'Landing, shorter', document: pageDocument('Landing B') },
        ],
        goal: { eventName: 'signup' },
      },
    },
  );

  const forms = await mapConcurrently(range(cms.formPages), seedConcurrency, async (p) => {
    const slug = `contact-${p + 1}`;
    const document = { type: 'root', children: [hero('top', 'Talk to sales'), contactForm('contact')] };
    await publishedPage(owner, { orgId: org.id, slug, title: `Contact ${p + 1}`, document });
    return { orgSlug: org.slug, pageSlug: slug, formId: 'contact' };
  });
  return { plain, cms: { translated: { orgSlug: org.slug, slug: 'pricing' }, experiment: { orgSlug: org.slug, slug: 'landing' }, forms } };
}

async function siteOrganization(owner: SeededUser, name: string, slug: string): Promise<{ id: string; slug: string }> {
  const organization = await createOrganization(owner, name, slug);
  await owner.client.data(`mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`, {
    input: { orgId: organization.id, name: 'Hero', propsSchema: heroSchema },
  });
  return organization;
}

/** Creates a page and publishes it; @returns its id. */
async function publishedPage(owner: SeededUser, input: Record<string, unknown>): Promise<string> {
  const { createPage } = await owner.client.data<{ createPage: { id: string } }>(
    `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`,
    { input },
  );
  await publish(owner, createPage.id);
  return createPage.id;
}

async function publish(owner: SeededUser, id: string): Promise<void> {
  await owner.client.data(`mutation ($id: ID!) { publishPage(id: $id) { id } }`, { id });
}

/** A marketing page of a few sections: some 2 KiB of JSON, as a real page's document is. */
function pageDocument(name: string) {
  return { type: 'root', children: range(8).map((i) => hero(`section-${i + 1}`, `${name}: section ${i + 1}`)) };
}

function hero(id: string, title: string) {
  const subtitle = `${title}, told in a sentence or two so that the page carries text as a real one would.`;
  return { id, component: 'Hero', props: { title, subtitle }, children: [] };
}

/** A contact form as the forms tests define one; no `notifyEmails`, so no mail job per lead. */
function contactForm(id: string) {
  return {
    id,
    component: 'form',
    props: {
      fields: [
        { name: 'name', type: 'text', label: 'Your name', required: true, minLength: 2, maxLength: 50 },
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 500, step: 1 },
        { name: 'plan', type: 'select', label: 'Plan', options: [{ value: 'team', label: 'Team' }, { value: 'enterprise', label: 'Enterprise' }] },
        { name: 'terms', type: 'consent', label: 'Terms', text: 'I agree to be contacted.', required: true },
      ],
      successMessage: 'Thanks, we will be in touch.',
    },
    children: [],
  };
}
