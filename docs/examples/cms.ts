import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const pageId = '5e1a7c93-2d4b-4f8e-a6c0-9b3d1f7e5a26';
const sessionId = 'c7d2e4f6-1a3b-4c5d-8e9f-0a1b2c3d4e5f';

/** A page-builder tree of one `Hero` node (the organization's library has a `Hero` component). */
const heroDocument = {
  type: 'root',
  children: [{ id: 'hero-1', component: 'Hero', props: { title: 'Welcome', subtitle: 'Tokens for every team' }, children: [] }],
};

const pageFields = 'id slug title status version publishedAt';

/** A `form` node (the built-in form component): the contact form the forms examples use. */
export const contactFormNode = {
  id: 'contact',
  component: 'form',
  props: {
    fields: [
      { name: 'name', type: 'text', label: 'Your name', required: true, maxLength: 100 },
      { name: 'email', type: 'email', label: 'Email', required: true },
      { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 1000, step: 1 },
      { name: 'terms', type: 'consent', label: 'Contact', text: 'I agree to be contacted about my request.', required: true },
    ],
    notifyEmails: ['sales@example.com'],
    submitLabel: 'Talk to sales',
    successMessage: 'Thanks! We will reply within a day.',
  },
  children: [],
};

/** Examples of the content (cms) page. */
export const cmsExamples: ApiExample[] = [
  {
    field: 'Query.page',
    title: 'a page with its draft document',
    caller: 'user',
    operation: `query Page($id: ID!) {
  page(id: $id) { ${pageFields} kind locale document seo { title description } createdBy { displayName } }
}`,
    variables: { id: pageId },
  },
  {
    field: 'Query.pages',
    title: "an organization's newest pages (not posts)",
    caller: 'user',
    operation: `query Pages($orgId: ID!, $filter: PageFilter, $first: Int) {
  pages(orgId: $orgId, filter: $filter, first: $first) {
    edges { node { ${pageFields} } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, filter: { kind: 'PAGE' }, first: 10 },
  },
  {
    field: 'Query.publishedPage',
    title: 'what the public site renders at acme/pricing, no sign-in needed',
    caller: 'anonymous',
    operation: `query PublishedPage($orgSlug: String!, $slug: String!) {
  publishedPage(orgSlug: $orgSlug, slug: $slug) { id title locale seo { title description image noIndex } document revision publishedAt }
}`,
    variables: { orgSlug: 'acme', slug: 'pricing' },
  },
  {
    field: 'Query.publishedPage',
    title: 'the German translation of acme/pricing for a visitor from Switzerland, with the locales to link',
    caller: 'anonymous',
    operation: `query PublishedTranslation($orgSlug: String!, $slug: String!, $locale: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, locale: $locale) {
    id locale requestedLocale availableLocales title
    seo { title description imageUrl canonicalUrl openGraph { title type imageUrl } twitter { card site } }
  }
}`,
    variables: { orgSlug: 'acme', slug: 'pricing', locale: 'de-CH' },
  },
  {
    field: 'Query.siteSettings',
    title: "the organization's default locale and fallback chain",
    caller: 'user',
    operation: `query SiteSettings($orgId: ID!) {
  siteSettings(orgId: $orgId) { orgId defaultLocale fallbackLocales }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.pageRevisions',
    title: "a page's published revisions, newest first",
    caller: 'user',
    operation: `query PageRevisions($pageId: ID!) {
  pageRevisions(pageId: $pageId, first: 10) {
    edges { node { number title version publishedAt publishedBy { displayName } } }
  }
}`,
    variables: { pageId },
  },
  {
    field: 'Query.components',
    title: "the organization's component library",
    caller: 'user',
    operation: `query Components($orgId: ID!) {
  components(orgId: $orgId, first: 50) { edges { node { id name description version propsSchema } } }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.templates',
    title: "the organization's page templates",
    caller: 'user',
    operation: `query Templates($orgId: ID!) {
  templates(orgId: $orgId, first: 50) { edges { node { id name } } }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.pageOperations',
    title: 'catching up on the edits made after version 1',
    caller: 'user',
    operation: `query PageOperations($pageId: ID!, $afterVersion: Int!) {
  pageOperations(pageId: $pageId, afterVersion: $afterVersion) { version baseVersion operation submissionId author { displayName } }
}`,
    variables: { pageId, afterVersion: 1 },
  },
  {
    field: 'Query.pagePresence',
    title: "who is editing a page now",
    caller: 'user',
    operation: `query PagePresence($pageId: ID!) {
  pagePresence(pageId: $pageId) { sessionId user { displayName } cursor expiresAt }
}`,
    variables: { pageId },
  },
  {
    field: 'Mutation.createPage',
    title: 'a new draft page with a hero',
    caller: 'user',
    operation: `mutation CreatePage($input: CreatePageInput!) {
  createPage(input: $input) { ${pageFields} }
}`,
    variables: {
      input: { orgId, slug: 'pricing', title: 'Pricing', seo: { description: 'Plans for every team' }, document: heroDocument },
    },
  },
  {
    field: 'Mutation.createPageTranslation',
    title: 'starting the German translation of a page from its draft',
    caller: 'user',
    operation: `mutation CreatePageTranslation($pageId: ID!, $locale: String!, $title: String) {
  createPageTranslation(pageId: $pageId, locale: $locale, title: $title) { ${pageFields} locale translations { id locale } }
}`,
    variables: { pageId, locale: 'de', title: 'Preise' },
  },
  {
    field: 'Mutation.updateSiteSettings',
    title: 'English by default; German, then French, for visitors whose language is not published',
    caller: 'user',
    operation: `mutation UpdateSiteSettings($orgId: ID!, $input: SiteSettingsInput!) {
  updateSiteSettings(orgId: $orgId, input: $input) { orgId defaultLocale fallbackLocales }
}`,
    variables: { orgId, input: { defaultLocale: 'en', fallbackLocales: ['de', 'fr'] } },
  },
  {
    field: 'Mutation.updatePage',
    title: "retitling a page's draft, from the version you loaded",
    caller: 'user',
    operation: `mutation UpdatePage($id: ID!, $input: UpdatePageInput!, $version: Int!) {
  updatePage(id: $id, input: $input, version: $version) { ${pageFields} }
}`,
    variables: { id: pageId, input: { title: 'Pricing and plans' }, version: 1 },
  },
  {
    field: 'Mutation.publishPage',
    title: 'publishing the draft',
    caller: 'user',
    operation: `mutation PublishPage($id: ID!) {
  publishPage(id: $id) { ${pageFields} revisionCount }
}`,
    variables: { id: pageId },
  },
  {
    field: 'Mutation.schedulePagePublication',
    title: 'publishing the draft at launch time, and taking it down a week later',
    caller: 'user',
    operation: `mutation SchedulePagePublication($id: ID!, $publishAt: DateTime, $unpublishAt: DateTime) {
  schedulePagePublication(id: $id, publishAt: $publishAt, unpublishAt: $unpublishAt) {
    ${pageFields} scheduledPublishAt scheduledUnpublishAt scheduledRevision
  }
}`,
    variables: { id: pageId, publishAt: '2027-03-01T09:00:00.000Z', unpublishAt: '2027-03-08T09:00:00.000Z' },
  },
  {
    field: 'Mutation.unpublishPage',
    title: 'taking a page off the public site',
    caller: 'user',
    operation: `mutation UnpublishPage($id: ID!) {
  unpublishPage(id: $id) { ${pageFields} }
}`,
    variables: { id: pageId },
  },
  {
    field: 'Mutation.archivePage',
    title: 'archiving a page',
    caller: 'user',
    operation: `mutation ArchivePage($id: ID!) {
  archivePage(id: $id) { ${pageFields} }
}`,
    variables: { id: pageId },
  },
  {
    field: 'Mutation.restorePageRevision',
    title: 'making the first published revision the draft again',
    caller: 'user',
    operation: `mutation RestorePageRevision($pageId: ID!, $number: Int!) {
  restorePageRevision(pageId: $pageId, number: $number) { ${pageFields} }
}`,
    variables: { pageId, number: 1 },
  },
  {
    field: 'Mutation.startPageExperiment',
    title: 'testing a shorter headline on half of the visitors, counting newsletter sign-ups',
    caller: 'user',
    operation: `mutation StartPageExperiment($pageId: ID!, $input: StartPageExperimentInput!) {
  startPageExperiment(pageId: $pageId, input: $input) {
    id status startedAt goal { formId eventName } variants { key weight title }
  }
}`,
    variables: {
      pageId,
      input: {
        variants: [
          { key: 'control', weight: 50 },
          { key: 'short-headline', weight: 50, title: 'Tokens, simply', document: heroDocument },
        ],
        goal: { eventName: 'newsletter_signup' },
      },
    },
  },
  {
    field: 'Query.pageExperiment',
    title: "a page's experiment with its results so far",
    caller: 'user',
    operation: `query PageExperiment($pageId: ID!) {
  pageExperiment(pageId: $pageId) {
    id status startedAt variants { key weight title }
    results { method variants { key visitors conversions conversionRate zScore pValue significant } }
  }
}`,
    variables: { pageId },
  },
  {
    field: 'Mutation.endPageExperiment',
    title: 'ending the experiment and publishing the winning variant',
    caller: 'user',
    operation: `mutation EndPageExperiment($pageId: ID!, $promote: String!) {
  endPageExperiment(pageId: $pageId, promote: $promote) { id status endedAt winner }
}`,
    variables: { pageId, promote: 'short-headline' },
  },
  {
    field: 'Mutation.createComponent',
    title: 'adding a call-to-action button to the library',
    caller: 'user',
    operation: `mutation CreateComponent($input: CreateComponentInput!) {
  createComponent(input: $input) { id name version }
}`,
    variables: {
      input: {
        orgId,
        name: 'CallToAction',
        description: 'A button that links somewhere.',
        propsSchema: {
          type: 'object',
          properties: { label: { type: 'string', maxLength: 60 }, href: { type: 'string', format: 'uri', maxLength: 2048 } },
          required: ['label', 'href'],
          additionalProperties: false,
        },
      },
    },
  },
  {
    field: 'Mutation.updateComponent',
    title: "changing a component's description",
    caller: 'user',
    operation: `mutation UpdateComponent($id: ID!, $input: UpdateComponentInput!) {
  updateComponent(id: $id, input: $input) { id description version }
}`,
    variables: { id: '0f3e5d7c-9b1a-4c2e-8d6f-4a2b0c8e6d14', input: { description: 'The page-wide banner at the top.' } },
  },
  {
    field: 'Mutation.createTemplate',
    title: 'a template new landing pages start from',
    caller: 'user',
    operation: `mutation CreateTemplate($input: CreateTemplateInput!) {
  createTemplate(input: $input) { id name }
}`,
    variables: { input: { orgId, name: 'Landing page', document: heroDocument } },
  },
  {
    field: 'Mutation.joinPageSession',
    title: "joining a page's live editing session",
    caller: 'user',
    operation: `mutation JoinPageSession($pageId: ID!, $cursor: JSON) {
  joinPageSession(pageId: $pageId, cursor: $cursor) {
    id
    ttlSeconds
    page { version document }
    participants { sessionId user { displayName } cursor }
  }
}`,
    variables: { pageId, cursor: { nodeId: 'hero-1' } },
  },
  {
    field: 'Mutation.submitPageOperations',
    title: "retitling the hero live: an ot-json1 operation against version 1",
    caller: 'user',
    operation: `mutation SubmitPageOperations($pageId: ID!, $baseVersion: Int!, $operations: [JSON!]!, $submissionId: ID) {
  submitPageOperations(pageId: $pageId, baseVersion: $baseVersion, operations: $operations, submissionId: $submissionId) {
    version
    operation
  }
}`,
    variables: {
      pageId,
      baseVersion: 1,
      operations: [['children', 0, 'props', 'title', { r: true, i: 'Welcome aboard' }]],
      submissionId: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
    },
  },
  {
    field: 'Mutation.updatePresence',
    title: 'moving your cursor (and staying in the session)',
    caller: 'user',
    operation: `mutation UpdatePresence($pageId: ID!, $sessionId: ID!, $cursor: JSON) {
  updatePresence(pageId: $pageId, sessionId: $sessionId, cursor: $cursor) { sessionId cursor expiresAt }
}`,
    variables: { pageId, sessionId, cursor: { nodeId: 'hero-1', offset: 4 } },
  },
  {
    field: 'Mutation.leavePageSession',
    title: "leaving a page's session",
    caller: 'user',
    operation: `mutation LeavePageSession($pageId: ID!, $sessionId: ID!) {
  leavePageSession(pageId: $pageId, sessionId: $sessionId)
}`,
    variables: { pageId, sessionId },
  },
  {
    field: 'Subscription.pageEvents',
    title: "a page's edits from version 1 on, and who comes and goes",
    caller: 'user',
    operation: `subscription PageEvents($pageId: ID!, $afterVersion: Int, $sessionId: ID) {
  pageEvents(pageId: $pageId, afterVersion: $afterVersion, sessionId: $sessionId) {
    __typename
    ... on PageOperation { version operation submissionId author { displayName } }
    ... on PagePresenceChanged { change presence { sessionId user { displayName } cursor } }
  }
}`,
    variables: { pageId, afterVersion: 1, sessionId },
  },
  {
    field: 'Mutation.submitForm',
    title: 'a visitor sends the contact form of acme/contact, no sign-in needed',
    caller: 'anonymous',
    operation: `mutation SubmitForm($orgSlug: String!, $pageSlug: String!, $formId: String!, $values: JSON!, $visitorId: String) {
  submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: $formId, values: $values, visitorId: $visitorId) { id submittedAt message }
}`,
    variables: {
      orgSlug: 'acme',
      pageSlug: 'contact',
      formId: 'contact',
      values: { name: 'Ada Lovelace', email: 'ada@example.com', seats: 25, terms: true },
      visitorId: 'v-3f9a1c',
    },
  },
  {
    field: 'Query.formSubmissions',
    title: "the contact form's leads of the last week, newest first",
    caller: 'user',
    operation: `query FormSubmissions($orgId: ID!, $formId: String, $from: DateTime) {
  formSubmissions(orgId: $orgId, formId: $formId, from: $from, first: 20) {
    edges { node { id formId locale values visitorId submittedAt page { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, formId: 'contact', from: '2026-11-28T00:00:00.000Z' },
  },
  {
    field: 'Mutation.exportFormSubmissions',
    title: "the contact form's leads as CSV, to download from the signed link",
    caller: 'user',
    operation: `mutation ExportFormSubmissions($orgId: ID!, $formId: String!) {
  exportFormSubmissions(orgId: $orgId, formId: $formId) { id rowCount url expiresAt }
}`,
    variables: { orgId, formId: 'contact' },
  },
  {
    field: 'Mutation.deleteFormSubmission',
    title: 'erasing a lead at the request of the person who sent it',
    caller: 'user',
    operation: `mutation DeleteFormSubmission($id: ID!) {
  deleteFormSubmission(id: $id)
}`,
    variables: { id: '0193f1a2-7b4c-7d5e-8f60-1a2b3c4d5e6f' },
  },
];
