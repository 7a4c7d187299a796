import { describe, expect, test } from 'vitest';
import { errorCodes, randomIp, type GraphQLClient, type GraphQLResponse } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, publishPage, updatePage, type CmsOrganization } from '../testkit/cms-seed.ts';
import { unique } from '../testkit/seed.ts';
import { traced } from '../testkit/traced.ts';
import { requestStatements } from '../testkit/graph.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** A contact form with one field of each type. */
function contactForm(id = 'contact', props: Record<string, unknown> = {}) {
  return {
    id,
    component: 'form',
    props: {
      fields: [
        { name: 'name', type: 'text', label: 'Your name', required: true, minLength: 2, maxLength: 50 },
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 500, step: 1 },
        { name: 'plan', type: 'select', label: 'Plan', options: [{ value: 'team', label: 'Team' }, { value: 'enterprise', label: 'Enterprise' }] },
        { name: 'newsletter', type: 'checkbox', label: 'Send me news' },
        { name: 'terms', type: 'consent', label: 'Terms', text: 'I agree to be contacted.', required: true },
        { name: 'code', type: 'text', label: 'Coupon', pattern: '[A-Z]{3}-[0-9]{3}' },
      ],
      successMessage: 'Thanks, we will be in touch.',
      ...props,
    },
    children: [],
  };
}

const goodValues = { name: 'Ada Lovelace', email: 'ada@example.com', seats: 12, plan: 'team', newsletter: true, terms: true };

const submitMutation = `mutation ($orgSlug: String!, $pageSlug: String!, $formId: String!, $values: JSON!, $locale: String, $visitorId: String) {
  submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: $formId, values: $values, locale: $locale, visitorId: $visitorId) {
    id submittedAt message
  }
}`;

const listQuery = `query ($orgId: ID!, $formId: String, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  formSubmissions(orgId: $orgId, formId: $formId, from: $from, to: $to, first: $first, after: $after) {
    edges { cursor node { id pageId page { id slug } formId locale values visitorId submittedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PublishedForm {
  cms: CmsOrganization;
  page: Record<string, any>;
  address: { orgSlug: string; pageSlug: string; formId: string };
}

/** An organization with a published page holding `form`. */
async function publishedForm(form = contactForm(), cms?: CmsOrganization): Promise<PublishedForm> {
  const organization = cms ?? (await cmsOrganization(fixture.graph.client));
  const page = await createPage(organization.member.client, {
    orgId: organization.organization.id,
    slug: `contact-${unique()}`,
    document: documentOf(hero('top'), form),
  });
  await publishPage(organization.member.client, page.id);
  return { cms: organization, page, address: { orgSlug: organization.organization.slug, pageSlug: page.slug, formId: form.id } };
}

function submit(client: GraphQLClient, address: PublishedForm['address'], values: unknown, extra: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  return client.request(submitMutation, { ...address, values, ...extra });
}

/** What a submission may leave behind for an organization: leads, form.submitted events, notification mails. */
async function tracesOf(organizationId: string) {
  const count = async (sql: string) => Number((await fixture.db.query<{ n: string }>(sql, [organizationId])).rows[0]!.n);
  return {
    leads: await count('SELECT count(*) AS n FROM cms.form_submissions WHERE organization_id = $1'),
    events: await count(`SELECT count(*) AS n FROM integrations.webhook_events WHERE organization_id = $1 AND type = 'form.submitted'`),
    mails: await count(
      `SELECT count(*) AS n FROM jobs.jobs WHERE queue = 'mail.send' AND payload->>'template' = 'formSubmissionReceived'
         AND payload->'data'->>'pageSlug' IN (SELECT slug FROM cms.pages WHERE organization_id = $1)`,
    ),
  };
}

const nothing = { leads: 0, events: 0, mails: 0 };

describe('a form in a document', () => {
  test('is checked whenever a document is written: createPage, updatePage, createTemplate and live edits name the bad rule', async () => {
    const { organization, member, owner } = await cmsOrganization(fixture.graph.client);
    const bad = contactForm('f', { fields: [{ name: 'age', type: 'number', label: 'Age', min: 10, max: 5 }] });
    const created = await member.client.request(`mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`, {
      input: { orgId: organization.id, slug: `bad-${unique()}`, title: 'Bad', document: documentOf(bad) },
    });
    expect(errorCodes(created)).toEqual(['BAD_USER_INPUT']);
    expect(created.errors![0]!.extensions!.field).toBe('document.children[0].props.fields[0].min');

    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    const cases: [unknown, string][] = [
      [contactForm('f', { fields: [] }), 'document.children[0].props.fields'],
      [contactForm('f', { fields: [{ name: 'x', type: 'colour', label: 'X' }] }), 'document.children[0].props.fields[0].type'],
      [contactForm('f', { fields: [{ name: 'x', type: 'text', label: 'X', pattern: '(a+)+$' }] }), 'document.children[0].props.fields[0].pattern'],
      [contactForm('f', { fields: [{ name: 'x', type: 'text', label: 'X', pattern: '[' }] }), 'document.children[0].props.fields[0].pattern'],
      [contactForm('f', { fields: [{ name: 'x', type: 'select', label: 'X', options: [] }] }), 'document.children[0].props.fields[0].options'],
      [contactForm('f', { fields: [{ name: 'x', type: 'consent', label: 'X' }] }), 'document.children[0].props.fields[0].text'],
      [contactForm('f', { notifyEmails: ['not an address'] }), 'document.children[0].props.notifyEmails[0]'],
      [contactForm('f', { notifyEmails: Array.from({ length: 6 }, (_, i) => `a${i}@example.com`) }), 'document.children[0].props.notifyEmails'],
      [contactForm('f', { honeypotField: 'email' }), 'document.children[0].props.honeypotField'],
      [contactForm('f', { colour: 'red' }), 'document.children[0].props'],
    ];
    for (const [form, field] of cases) {
      const response = await member.client.request(
        `mutation ($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input, version: 1) { id } }`,
        { id: page.id, input: { document: documentOf(form) } },
      );
      expect(errorCodes(response), JSON.stringify(form)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    const duplicate = contactForm('f', { fields: [{ name: 'a', type: 'email', label: 'A' }, { name: 'a', type: 'email', label: 'B' }] });
    const template = await owner.client.request(`mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`, {
      input: { orgId: organization.id, name: 'Contact', document: documentOf(duplicate) },
    });
    expect(errorCodes(template)).toEqual(['BAD_USER_INPUT']);
    expect(template.errors![0]!.extensions!.field).toBe('document.children[0].props.fields[1].name');

    const edit = await member.client.request(
      `mutation ($pageId: ID!, $ops: [JSON!]!) { submitPageOperations(pageId: $pageId, baseVersion: 1, operations: $ops) { version } }`,
      { pageId: page.id, ops: [['children', 1, { i: contactForm('f', { fields: [{ name: '1x', type: 'text', label: 'X' }] }) }]] },
    );
    expect(errorCodes(edit)).toEqual(['BAD_USER_INPUT']);
    expect(edit.errors![0]!.extensions!.field).toBe('document.children[1].props.fields[0].name');

    // A good form is accepted everywhere, without any component in the library.
    await updatePage(member.client, page.id, 1, { document: documentOf(hero('a'), contactForm()) });
  });

  test('`form` is reserved: no library component may take the name', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const response = await owner.client.request(`mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`, {
      input: { orgId: organization.id, name: 'form', propsSchema: { type: 'object' } },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.name');
  });
});

describe('submitForm', () => {
  test('stores an anonymous visitor\'s lead, emits form.submitted in the same transaction and queues one email per address', async () => {
    const { cms, page, address } = await publishedForm(contactForm('contact', { notifyEmails: ['sales@example.com', 'ceo@example.com'] }));
    const visitorId = `visitor-${unique()}`;
    const response = await submit(fixture.graph.client, address, { ...goodValues, website: '' }, { locale: 'pt-br', visitorId });
    expect(response.errors).toBeUndefined();
    const receipt = response.data!.submitForm;
    expect(receipt).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), submittedAt: expect.any(String), message: 'Thanks, we will be in touch.' });

    const { rows: [lead] } = await fixture.db.query('SELECT * FROM cms.form_submissions WHERE id = $1', [receipt.id]);
    expect(lead).toMatchObject({
      organization_id: cms.organization.id,
      page_id: page.id,
      page_slug: page.slug,
      revision: 1,
      form_id: 'contact',
      locale: 'pt-BR',
      visitor_id: visitorId,
      values: goodValues,
    });
    expect(lead.created_at.toISOString()).toBe(receipt.submittedAt);

    const { rows: events } = await fixture.db.query(
      `SELECT data FROM integrations.webhook_events WHERE organization_id = $1 AND type = 'form.submitted'`,
      [cms.organization.id],
    );
    expect(events.map((event) => event.data)).toEqual([
      {
        submissionId: receipt.id,
        orgId: cms.organization.id,
        pageId: page.id,
        pageSlug: page.slug,
        formId: 'contact',
        locale: 'pt-BR',
        visitorId,
        experiment: null,
        values: goodValues,
        submittedAt: receipt.submittedAt,
      },
    ]);
    const { rows: mails } = await fixture.db.query(
      `SELECT payload FROM jobs.jobs WHERE queue = 'mail.send' AND payload->'data'->>'submissionId' = $1 ORDER BY payload->'data'->>'to'`,
      [receipt.id],
    );
    expect(mails.map((mail) => mail.payload)).toEqual(
      ['ceo@example.com', 'sales@example.com'].map((to) => ({
        template: 'formSubmissionReceived',
        data: expect.objectContaining({
          to,
          pageSlug: page.slug,
          formId: 'contact',
          values: expect.arrayContaining([{ label: 'Your name', value: 'Ada Lovelace' }, { label: 'Seats', value: '12' }]),
        }),
      })),
    );
  });

  test('form.submitted is an event type webhook endpoints can subscribe to', async () => {
    const { owner } = await cmsOrganization(fixture.graph.client);
    const { webhookEventTypes } = await owner.client.data(`{ webhookEventTypes { name description } }`);
    expect(webhookEventTypes).toContainEqual({ name: 'form.submitted', description: expect.stringContaining('submissionId') });
  });

  test('the public site gets the form to render, without the addresses it notifies', async () => {
    const { address } = await publishedForm(contactForm('contact', { notifyEmails: ['sales@example.com'] }));
    const { publishedPage } = await fixture.graph.client.data(
      `query ($orgSlug: String!, $slug: String!) { publishedPage(orgSlug: $orgSlug, slug: $slug) { document } }`,
      { orgSlug: address.orgSlug, slug: address.pageSlug },
    );
    const form = publishedPage.document.children[1];
    expect(form).toMatchObject({ id: 'contact', component: 'form', props: { successMessage: 'Thanks, we will be in touch.' } });
    expect(form.props.fields).toHaveLength(7);
    expect(JSON.stringify(publishedPage.document)).not.toContain('sales@example.com');
  });

  test('without notifyEmails queues no email, and the page\'s locale and a null visitorId are used when none is given', async () => {
    const { cms, page, address } = await publishedForm();
    const receipt = (await fixture.graph.client.data(submitMutation, { ...address, values: goodValues })).submitForm;
    expect(await tracesOf(cms.organization.id)).toEqual({ leads: 1, events: 1, mails: 0 });
    const { rows: [event] } = await fixture.db.query(`SELECT data FROM integrations.webhook_events WHERE data->>'submissionId' = $1`, [receipt.id]);
    expect(event.data).toMatchObject({ locale: page.locale, visitorId: null, pageId: page.id });
  });

  test('refuses each bad value with BAD_USER_INPUT naming it, lists them all, and stores nothing', async () => {
    const { cms, address } = await publishedForm();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...goodValues, name: 'A' }, ['values.name']],
      [{ ...goodValues, name: 42 }, ['values.name']],
      [{ ...goodValues, name: undefined }, ['values.name']],
      [{ ...goodValues, email: 'not-an-email' }, ['values.email']],
      [{ ...goodValues, seats: 0 }, ['values.seats']],
      [{ ...goodValues, seats: 2.5 }, ['values.seats']],
      [{ ...goodValues, seats: '12' }, ['values.seats']],
      [{ ...goodValues, plan: 'free' }, ['values.plan']],
      [{ ...goodValues, newsletter: 'yes' }, ['values.newsletter']],
      [{ ...goodValues, terms: false }, ['values.terms']],
      [{ ...goodValues, code: 'abc-123' }, ['values.code']],
      [{ ...goodValues, admin: true }, ['values.admin']],
      [{ name: 'A', email: 'x', seats: 9999, terms: false }, ['values.name', 'values.email', 'values.seats', 'values.terms']],
    ];
    for (const [values, fields] of cases) {
      const response = await submit(fixture.graph.client, address, values);
      expect(errorCodes(response), JSON.stringify(values)).toEqual(['BAD_USER_INPUT']);
      const extensions = response.errors![0]!.extensions!;
      expect(extensions.field).toBe(fields[0]);
      expect(extensions.fields.map((problem: { field: string }) => problem.field)).toEqual(fields);
      expect(extensions.fields.every((problem: { message: string }) => problem.message.length > 0)).toBe(true);
    }
    const notAnObject = await submit(fixture.graph.client, address, ['Ada']);
    expect(errorCodes(notAnObject)).toEqual(['BAD_USER_INPUT']);
    expect(notAnObject.errors![0]!.extensions!.field).toBe('values');
    const longVisitor = await submit(fixture.graph.client, address, goodValues, { visitorId: 'v'.repeat(129) });
    expect(longVisitor.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'visitorId' });
    expect(await tracesOf(cms.organization.id)).toEqual(nothing);
  });

  test('refuses values over 16 KiB before anything else, and stores nothing', async () => {
    const { cms, address } = await publishedForm();
    const response = await submit(fixture.graph.client, { ...address, formId: 'no-such-form' }, { ...goodValues, name: 'x'.repeat(17 * 1024) });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('values');
    expect(response.errors![0]!.message).toMatch(/16 KiB/);
    expect(await tracesOf(cms.organization.id)).toEqual(nothing);
  });

  test('answers a filled-in honeypot like a success, but stores, emits and mails nothing', async () => {
    const { cms, address } = await publishedForm(contactForm('contact', { notifyEmails: ['sales@example.com'] }));
    const bot = await submit(fixture.graph.client, address, { ...goodValues, website: 'https://spam.example.com' });
    expect(bot.errors).toBeUndefined();
    expect(bot.data!.submitForm).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), submittedAt: expect.any(String), message: 'Thanks, we will be in touch.' });
    // A custom honeypot name works the same way.
    const custom = await publishedForm(contactForm('other', { honeypotField: 'fax' }), cms);
    const caught = await submit(fixture.graph.client, custom.address, { ...goodValues, fax: '555-0100' });
    expect(caught.errors).toBeUndefined();
    expect(await tracesOf(cms.organization.id)).toEqual(nothing);
  });

  test('only accepts forms of the live revision of a published page: drafts, unknown forms and pages are NOT_FOUND', async () => {
    const cms = await cmsOrganization(fixture.graph.client);
    const { organization, member } = cms;
    const draft = await createPage(member.client, { orgId: organization.id, document: documentOf(contactForm()) });
    const onDraft = await submit(fixture.graph.client, { orgSlug: organization.slug, pageSlug: draft.slug, formId: 'contact' }, goodValues);
    expect(errorCodes(onDraft)).toEqual(['NOT_FOUND']);

    // A form added to the draft of a published page is not live until published again.
    const live = await publishedForm(contactForm(), cms);
    await updatePage(member.client, live.page.id, 1, { document: documentOf(hero('top'), contactForm(), contactForm('later')) });
    const notYet = await submit(fixture.graph.client, { ...live.address, formId: 'later' }, goodValues);
    expect(errorCodes(notYet)).toEqual(['NOT_FOUND']);
    // And the live definition is the one checked: the draft's looser rules do not apply.
    await updatePage(member.client, live.page.id, 2, { document: documentOf(contactForm('contact', { fields: [{ name: 'name', type: 'text', label: 'Name' }] })) });
    const strict = await submit(fixture.graph.client, live.address, { name: 'Ada' });
    expect(strict.errors![0]!.extensions!.fields.map((problem: { field: string }) => problem.field)).toEqual(['values.email', 'values.terms']);

    const unknown = [
      { ...live.address, formId: 'top' },
      { ...live.address, formId: 'nope' },
      { ...live.address, pageSlug: 'no-such-page' },
      { ...live.address, orgSlug: `no-such-org-${unique()}` },
    ];
    for (const address of unknown) expect(errorCodes(await submit(fixture.graph.client, address, goodValues))).toEqual(['NOT_FOUND']);

    await member.client.data(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: live.page.id });
    expect(errorCodes(await submit(fixture.graph.client, live.address, goodValues))).toEqual(['NOT_FOUND']);
    expect(await tracesOf(organization.id)).toEqual(nothing);
  });

  test('is limited per IP address (10 a minute), and a limited submission stores nothing', async () => {
    const { cms, address } = await publishedForm();
    const visitor = fixture.graph.client.from(randomIp());
    const responses = [];
    for (let i = 0; i < 12; i++) responses.push(await submit(visitor, address, goodValues));
    expect(responses.map((response) => errorCodes(response)[0] ?? 'OK')).toEqual([...Array(10).fill('OK'), 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(responses[10]!.errors![0]!.extensions!.rateLimit).toMatchObject({ limit: 10, window: '1m' });
    expect((await tracesOf(cms.organization.id)).leads).toBe(10);
    // Another address is not held back by this one.
    expect((await submit(fixture.graph.client.from(randomIp()), address, goodValues)).errors).toBeUndefined();
  });

  test('is limited per form (300 an hour from any addresses), without holding back the organization\'s other forms', async () => {
    const { cms, address } = await publishedForm();
    const other = await publishedForm(contactForm('other'), cms);
    // Every request comes from a new address: only the per-form limit can stop them. In
    // batches, so that the other files running meanwhile are not starved.
    const responses: GraphQLResponse[] = [];
    for (let batch = 0; batch < 305; batch += 25) {
      const size = Math.min(25, 305 - batch);
      responses.push(...(await Promise.all(Array.from({ length: size }, () => submit(fixture.graph.client, address, goodValues)))));
    }
    const codes = responses.map((response) => errorCodes(response)[0] ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(300);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
    expect((await tracesOf(cms.organization.id)).leads).toBe(300);
    expect((await submit(fixture.graph.client, other.address, goodValues)).errors).toBeUndefined();
  }, 120_000);
});

describe('formSubmissions', () => {
  test('lists leads newest first with cursors, filtered by form and time, for OWNER, ADMIN and MEMBER only', async () => {
    const { cms, page, address } = await publishedForm();
    const other = await publishedForm(contactForm('newsletter'), cms);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fixture.graph.client.data(submitMutation, { ...address, values: { ...goodValues, seats: i + 1 } })).submitForm.id);
    const otherId = (await fixture.graph.client.data(submitMutation, { ...other.address, values: goodValues })).submitForm.id;
    const orgId = cms.organization.id;

    const first = (await cms.member.client.data(listQuery, { orgId, formId: 'contact', first: 2 })).formSubmissions;
    expect(first.edges.map((edge: any) => edge.node.id)).toEqual([ids[4], ids[3]]);
    expect(first.edges[0].node).toMatchObject({ pageId: page.id, page: { id: page.id, slug: page.slug }, formId: 'contact', locale: 'en', values: { ...goodValues, seats: 5 }, visitorId: null });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await cms.member.client.data(listQuery, { orgId, formId: 'contact', first: 10, after: first.pageInfo.endCursor })).formSubmissions;
    expect(rest.edges.map((edge: any) => edge.node.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const everything = (await cms.admin.client.data(listQuery, { orgId })).formSubmissions;
    expect(everything.edges.map((edge: any) => edge.node.id)).toEqual([otherId, ...[...ids].reverse()]);

    const { rows } = await fixture.db.query<{ created_at: Date }>('SELECT created_at FROM cms.form_submissions WHERE id = $1', [ids[2]]);
    const at = rows[0]!.created_at.toISOString();
    const since = (await cms.owner.client.data(listQuery, { orgId, formId: 'contact', from: at })).formSubmissions;
    expect(since.edges.map((edge: any) => edge.node.id)).toEqual([ids[4], ids[3], ids[2]]);
    const before = (await cms.owner.client.data(listQuery, { orgId, formId: 'contact', to: at })).formSubmissions;
    expect(before.edges.map((edge: any) => edge.node.id)).toEqual([ids[1], ids[0]]);

    const backwards = await cms.owner.client.request(listQuery, { orgId, from: at, to: at });
    expect(backwards.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const tooMany = await cms.owner.client.request(listQuery, { orgId, first: 101 });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);

    expect(errorCodes(await cms.viewer.client.request(listQuery, { orgId }))).toEqual(['FORBIDDEN']);
    const outsider = await cmsOrganization(fixture.graph.client);
    expect(errorCodes(await outsider.owner.client.request(listQuery, { orgId }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await fixture.graph.client.request(listQuery, { orgId }))).toEqual(['UNAUTHENTICATED']);
  });

  test('costs the same number of SQL statements for 2 leads or 12, their pages included', async () => {
    const statementsFor = async (count: number) => {
      const cms = await cmsOrganization(fixture.graph.client);
      // Leads of several pages, so that their pages are loaded together, not one by one.
      const forms = [await publishedForm(contactForm(), cms), await publishedForm(contactForm(), cms)];
      for (let index = 0; index < count; index++) {
        await fixture.graph.client.data(submitMutation, { ...forms[index % 2]!.address, values: goodValues });
      }
      fixture.graph.statements.length = 0;
      const data = await cms.member.client.data(listQuery, { orgId: cms.organization.id, first: 50 });
      expect(data.formSubmissions.edges).toHaveLength(count);
      expect(data.formSubmissions.edges.every((edge: any) => edge.node.page.slug.startsWith('contact-'))).toBe(true);
      return requestStatements(fixture.graph).length;
    };
    expect(await statementsFor(12)).toBe(await statementsFor(2));
  }, 60_000);
});

describe('deleteFormSubmission', () => {
  const deleteMutation = `mutation ($id: ID!) { deleteFormSubmission(id: $id) }`;

  test('erases a lead (OWNER or ADMIN), audited without its values; others are refused and nothing is erased', async () => {
    const { cms, address } = await publishedForm();
    const id = (await fixture.graph.client.data(submitMutation, { ...address, values: goodValues })).submitForm.id;
    for (const role of ['member', 'viewer'] as const) {
      expect(errorCodes(await cms[role].client.request(deleteMutation, { id }))).toEqual(['FORBIDDEN']);
    }
    const outsider = await cmsOrganization(fixture.graph.client);
    expect(errorCodes(await outsider.owner.client.request(deleteMutation, { id }))).toEqual(['FORBIDDEN']);
    expect((await tracesOf(cms.organization.id)).leads).toBe(1);

    const erased = await traced(fixture.db, cms.admin.client, deleteMutation, { id });
    expect(erased.response.data).toEqual({ deleteFormSubmission: true });
    expect(erased.entries).toEqual([
      expect.objectContaining({
        organization_id: cms.organization.id,
        action: 'form_submission.deleted',
        actor_id: cms.admin.id,
        target_type: 'form_submission',
        target_id: id,
      }),
    ]);
    expect(JSON.stringify(erased.entries[0]!.changes)).not.toContain('Ada');
    expect((await tracesOf(cms.organization.id)).leads).toBe(0);
    expect(errorCodes(await cms.owner.client.request(deleteMutation, { id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await cms.owner.client.request(deleteMutation, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('exportFormSubmissions', () => {
  const exportMutation = `mutation ($orgId: ID!, $formId: String!, $from: DateTime, $to: DateTime) {
    exportFormSubmissions(orgId: $orgId, formId: $formId, from: $from, to: $to) { id formId rowCount url expiresAt }
  }`;

  async function download(url: string): Promise<{ status: number; type: string | null; body: string }> {
    const response = await fetch(new URL(url, fixture.graph.gateway.url));
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  }

  test('downloads a CSV of the form\'s leads through the gateway: a column per field, escaped, formulas defused; audited', async () => {
    const { cms, page, address } = await publishedForm();
    const orgId = cms.organization.id;
    const tricky = { ...goodValues, name: '=HYPERLINK("http://evil.example","click")', plan: 'enterprise', newsletter: false, code: 'ABC-123' };
    const quoted = { ...goodValues, name: 'Smith, "Jo"\nJunior', seats: 3 };
    const first = (await fixture.graph.client.data(submitMutation, { ...address, values: tricky, locale: 'fr' })).submitForm;
    const second = (await fixture.graph.client.data(submitMutation, { ...address, values: quoted })).submitForm;

    const requested = await traced(fixture.db, cms.member.client, exportMutation, { orgId, formId: 'contact' });
    const exported = requested.response.data!.exportFormSubmissions;
    expect(exported).toMatchObject({ formId: 'contact', rowCount: 2, url: expect.stringMatching(/^\/downloads\/cms-exports\/[0-9a-f-]{36}\?expires=\d+&signature=/) });
    expect(requested.entries).toEqual([expect.objectContaining({ action: 'form_submission.exported', actor_id: cms.member.id, target_type: 'form_submission_export' })]);
    // Leads sent after the export was asked for are not in it.
    await fixture.graph.client.data(submitMutation, { ...address, values: goodValues });

    const csv = await download(exported.url);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      [
        'id,submittedAt,locale,pageSlug,name,email,seats,plan,newsletter,terms,code',
        `${second.id},${second.submittedAt},en,${page.slug},"Smith, ""Jo""\nJunior",ada@example.com,3,team,true,true,`,
        `${first.id},${first.submittedAt},fr,${page.slug},"'=HYPERLINK(""http://evil.example"",""click"")",ada@example.com,12,enterprise,false,true,ABC-123`,
        '',
      ].join('\n'),
    );

    const tampered = await download(exported.url.replace(/signature=[^&]+/, 'signature=forged'));
    expect(tampered.status).toBe(403);
    expect(errorCodes(await cms.viewer.client.request(exportMutation, { orgId, formId: 'contact' }))).toEqual(['FORBIDDEN']);
  });
});
