import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { cmsOrganization, documentOf, hero, heroSchema } from '../testkit/cms-seed.ts';
import { unique } from '../testkit/seed.ts';
import { traced } from '../testkit/traced.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** A prop value that must never reach the trail: documents are summarised, not copied. */
const marker = `document-content-${unique()}`;

describe('every cms mutation leaves exactly one audit entry, with a summary', () => {
  test('pages: created, updated, published, restored, unpublished, archived', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const slug = `audited-${unique()}`;
    const run = (query: string, variables: Record<string, unknown>) => traced(fixture.db, member.client, query, variables);

    const created = await run(`mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`, {
      input: { orgId: organization.id, slug, title: 'Audited', document: documentOf(hero('a', { title: marker })) },
    });
    const pageId = created.response.data!.createPage.id;
    const common = { organization_id: organization.id, actor_type: 'USER', actor_id: member.id, target_type: 'page', target_id: pageId };
    expect(created.entries).toEqual([
      expect.objectContaining({
        ...common,
        action: 'page.created',
        changes: { after: { kind: 'PAGE', slug, title: 'Audited', locale: 'en', version: 1, templateId: null } },
      }),
    ]);

    const published = await run(`mutation ($id: ID!) { publishPage(id: $id) { id } }`, { id: pageId });
    expect(published.entries).toEqual([
      expect.objectContaining({
        ...common,
        action: 'page.published',
        changes: { before: { status: 'DRAFT' }, after: { status: 'PUBLISHED', revision: 1, version: 1, title: 'Audited' } },
      }),
    ]);

    const updated = await run(
      `mutation ($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input, version: 1) { id } }`,
      { id: pageId, input: { title: 'Renamed', seo: { title: marker }, document: documentOf(hero('a', { title: `${marker}-2` })) } },
    );
    expect(updated.entries).toEqual([
      expect.objectContaining({
        ...common,
        action: 'page.updated',
        changes: {
          before: { version: 1, title: 'Audited' },
          after: { version: 2, fields: ['title', 'seo', 'document'], title: 'Renamed' },
        },
      }),
    ]);

    const restored = await run(`mutation ($p: ID!) { restorePageRevision(pageId: $p, number: 1) { id } }`, { p: pageId });
    expect(restored.entries).toEqual([
      expect.objectContaining({
        ...common,
        action: 'page.revision_restored',
        changes: { before: { version: 2, title: 'Renamed' }, after: { version: 3, title: 'Audited', revision: 1 } },
      }),
    ]);

    const unpublished = await run(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: pageId });
    expect(unpublished.entries).toEqual([
      expect.objectContaining({ ...common, action: 'page.unpublished', changes: { before: { status: 'PUBLISHED' }, after: { status: 'DRAFT' } } }),
    ]);
    const archived = await run(`mutation ($id: ID!) { archivePage(id: $id) { id } }`, { id: pageId });
    expect(archived.entries).toEqual([
      expect.objectContaining({ ...common, action: 'page.archived', changes: { before: { status: 'DRAFT' }, after: { status: 'ARCHIVED' } } }),
    ]);

    const trail = await fixture.db.query('SELECT changes FROM audit.entries WHERE organization_id = $1', [organization.id]);
    expect(JSON.stringify(trail.rows)).not.toContain(marker);
  });

  test('components and templates: created and updated', async () => {
    const { organization, admin } = await cmsOrganization(fixture.graph.client);
    const run = (query: string, variables: Record<string, unknown>) => traced(fixture.db, admin.client, query, variables);
    const created = await run(`mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`, {
      input: { orgId: organization.id, name: 'Quote', propsSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    });
    const componentId = created.response.data!.createComponent.id;
    expect(created.entries).toEqual([
      expect.objectContaining({
        organization_id: organization.id,
        actor_id: admin.id,
        action: 'component.created',
        target_type: 'component',
        target_id: componentId,
        changes: { after: { name: 'Quote', version: 1 } },
      }),
    ]);

    const updated = await run(`mutation ($id: ID!, $input: UpdateComponentInput!) { updateComponent(id: $id, input: $input) { id } }`, {
      id: componentId,
      input: { description: 'A pull quote', propsSchema: heroSchema },
    });
    expect(updated.entries).toEqual([
      expect.objectContaining({
        action: 'component.updated',
        target_id: componentId,
        changes: { before: { version: 1 }, after: { version: 2, fields: ['description', 'propsSchema'] } },
      }),
    ]);

    const template = await run(`mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`, {
      input: { orgId: organization.id, name: 'Landing', document: documentOf(hero('a', { title: marker })) },
    });
    expect(template.entries).toEqual([
      expect.objectContaining({
        action: 'template.created',
        target_type: 'template',
        target_id: template.response.data!.createTemplate.id,
        changes: { after: { name: 'Landing' } },
      }),
    ]);
    const trail = await fixture.db.query('SELECT changes FROM audit.entries WHERE organization_id = $1', [organization.id]);
    expect(JSON.stringify(trail.rows)).not.toContain(marker);
  });
});

describe('a cms mutation that fails leaves no entry', () => {
  test('bad props, a taken slug, a stale version and a refused transition record nothing', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const run = (query: string, variables: Record<string, unknown>) => traced(fixture.db, member.client, query, variables);
    const create = `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`;
    const first = await run(create, { input: { orgId: organization.id, slug: `taken-${unique()}`, title: 'First', document: documentOf(hero('a')) } });
    const pageId = first.response.data!.createPage.id;
    const slug = (await fixture.db.query('SELECT slug FROM cms.pages WHERE id = $1', [pageId])).rows[0].slug;

    const attempts = [
      await run(create, { input: { orgId: organization.id, slug: `bad-${unique()}`, title: 'Bad', document: documentOf(hero('a', {})) } }),
      await run(create, { input: { orgId: organization.id, slug, title: 'Taken' } }),
      await run(`mutation ($id: ID!) { updatePage(id: $id, input: { title: "Stale" }, version: 7) { id } }`, { id: pageId }),
      await run(`mutation ($id: ID!) { unpublishPage(id: $id) { id } }`, { id: pageId }),
    ];
    expect(attempts.map((attempt) => errorCodes(attempt.response))).toEqual([
      ['BAD_USER_INPUT'],
      ['CONFLICT'],
      ['CONFLICT'],
      ['CONFLICT'],
    ]);
    for (const attempt of attempts) expect(attempt.entries).toEqual([]);
  });
});
