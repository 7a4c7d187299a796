import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLResponse } from '../testkit/client.ts';
import {
  cmsOrganization,
  createComponent,
  createPage,
  documentOf,
  hero,
  heroSchema,
  publishPage,
  section,
  updatePage,
} from '../testkit/cms-seed.ts';
import { unique } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const createMutation = `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`;
const updateMutation = `mutation ($id: ID!, $input: UpdatePageInput!, $version: Int!) {
  updatePage(id: $id, input: $input, version: $version) { version }
}`;
const templateMutation = `mutation ($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`;
const updateComponentMutation = `mutation ($id: ID!, $input: UpdateComponentInput!) {
  updateComponent(id: $id, input: $input) { version propsSchema }
}`;

/** The one BAD_USER_INPUT of a response, as `[field, message]`. */
function refusal(response: GraphQLResponse): [string, string] {
  expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  const [error] = response.errors!;
  return [error!.extensions!.field, error!.message];
}

async function countRows(table: string, organizationId: string): Promise<number> {
  const result = await fixture.db.query(`SELECT count(*)::int AS n FROM cms.${table} WHERE organization_id = $1`, [
    organizationId,
  ]);
  return result.rows[0].n;
}

describe("every node's props are checked against its component's schema", () => {
  test('on create: a bad prop is refused naming the node path and the schema message; nothing is written', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const document = documentOf(hero('a'), hero('b'), section('c', [hero('d'), hero('e', { title: 42 })]));
    const response = await member.client.request(createMutation, {
      input: { orgId: organization.id, slug: `bad-${unique()}`, title: 'Bad', document },
    });
    expect(refusal(response)).toEqual([
      'document.children[2].children[1].props.title',
      'document.children[2].children[1].props.title: must be string',
    ]);
    expect(await countRows('pages', organization.id)).toBe(0);
  });

  test('names a missing required prop, an unknown prop and a bad format', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const cases: [unknown, string, string][] = [
      [hero('a', { subtitle: 'No title' }), 'document.children[0].props.title', "must have required property 'title'"],
      [hero('a', { title: 'T', colour: 'red' }), 'document.children[0].props.colour', 'must NOT have additional properties'],
      [hero('a', { title: 'T', image: 'not a url' }), 'document.children[0].props.image', 'must match format "uri"'],
      [section('a', [], { background: 'plaid' }), 'document.children[0].props.background', 'must be equal to one of the allowed values'],
    ];
    for (const [node, field, message] of cases) {
      const response = await member.client.request(createMutation, {
        input: { orgId: organization.id, slug: `bad-${unique()}`, title: 'Bad', document: documentOf(node) },
      });
      expect(refusal(response)).toEqual([field, `${field}: ${message}`]);
    }
    expect(await countRows('pages', organization.id)).toBe(0);
  });

  test('on update: the draft, its version and the trail stay as they were', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    const page = await createPage(member.client, { orgId: organization.id, document: documentOf(hero('a')) });
    const response = await member.client.request(updateMutation, {
      id: page.id,
      version: 1,
      input: { title: 'Changed', document: documentOf(hero('a', { title: ['not', 'a', 'string'] })) },
    });
    expect(refusal(response)[0]).toBe('document.children[0].props.title');
    const stored = await fixture.db.query('SELECT title, version FROM cms.pages WHERE id = $1', [page.id]);
    expect(stored.rows[0]).toEqual({ title: 'A page', version: 1 });
  });

  test('on restore and publish: a document valid when written is checked against today\'s schema', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const components = await owner.client.data(
      `query ($orgId: ID!) { components(orgId: $orgId) { edges { node { id name version } } } }`,
      { orgId: organization.id },
    );
    const heroComponent = components.components.edges.find((edge: any) => edge.node.name === 'Hero').node;
    const page = await createPage(owner.client, { orgId: organization.id, document: documentOf(hero('a', { title: 'Long enough title' })) });
    await publishPage(owner.client, page.id);
    await updatePage(owner.client, page.id, 1, { document: documentOf(hero('a', { title: 'Short' })) });

    const tightened = await owner.client.data(updateComponentMutation, {
      id: heroComponent.id,
      input: { propsSchema: { ...heroSchema, properties: { ...heroSchema.properties, title: { type: 'string', maxLength: 8 } } } },
    });
    expect(tightened.updateComponent.version).toBe(2);

    const restore = await owner.client.request(
      `mutation ($pageId: ID!) { restorePageRevision(pageId: $pageId, number: 1) { version } }`,
      { pageId: page.id },
    );
    expect(refusal(restore)).toEqual([
      'document.children[0].props.title',
      'document.children[0].props.title: must NOT have more than 8 characters',
    ]);
    const stored = await fixture.db.query('SELECT version, document FROM cms.pages WHERE id = $1', [page.id]);
    expect(stored.rows[0]).toEqual({ version: 2, document: documentOf(hero('a', { title: 'Short' })) });
    expect((await publishPage(owner.client, page.id)).revisionCount).toBe(2);

    await owner.client.data(updateComponentMutation, {
      id: heroComponent.id,
      input: { propsSchema: { ...heroSchema, properties: { ...heroSchema.properties, title: { type: 'string', maxLength: 4 } } } },
    });
    const publish = await owner.client.request(`mutation ($id: ID!) { publishPage(id: $id) { id } }`, { id: page.id });
    expect(refusal(publish)[0]).toBe('document.children[0].props.title');
    const revisions = await fixture.db.query('SELECT count(*)::int AS n FROM cms.page_revisions WHERE page_id = $1', [page.id]);
    expect(revisions.rows[0].n).toBe(2);
  });

  test('on template creation and on every page made from a template', async () => {
    const { organization, owner, member } = await cmsOrganization(fixture.graph.client);
    const bad = await owner.client.request(templateMutation, {
      input: { orgId: organization.id, name: 'Broken', document: documentOf(hero('a', {})) },
    });
    expect(refusal(bad)[0]).toBe('document.children[0].props.title');
    expect(await countRows('templates', organization.id)).toBe(0);

    const template = (
      await owner.client.data(templateMutation, {
        input: { orgId: organization.id, name: 'Fine', document: documentOf(section('s', [], { background: 'dark' })) },
      })
    ).createTemplate;
    const components = await owner.client.data(
      `query ($orgId: ID!) { components(orgId: $orgId) { edges { node { id name } } } }`,
      { orgId: organization.id },
    );
    const sectionComponent = components.components.edges.find((edge: any) => edge.node.name === 'Section').node;
    await owner.client.data(updateComponentMutation, {
      id: sectionComponent.id,
      input: { propsSchema: { type: 'object', properties: { background: { enum: ['light'] } } } },
    });
    const fromTemplate = await member.client.request(createMutation, {
      input: { orgId: organization.id, slug: `t-${unique()}`, title: 'From template', templateId: template.id },
    });
    expect(refusal(fromTemplate)[0]).toBe('document.children[0].props.background');
    expect(await countRows('pages', organization.id)).toBe(0);
  });
});

describe('a document may only use its own organization\'s components', () => {
  test('a component of another organization is unknown here, even with the same props', async () => {
    const mine = await cmsOrganization(fixture.graph.client);
    const theirs = await cmsOrganization(fixture.graph.client);
    await createComponent(theirs.owner.client, theirs.organization.id, 'Gallery', { type: 'object' });
    const response = await mine.member.client.request(createMutation, {
      input: {
        orgId: mine.organization.id,
        slug: `x-${unique()}`,
        title: 'Borrowed',
        document: documentOf(hero('a'), { id: 'g', component: 'Gallery', props: {} }),
      },
    });
    expect(refusal(response)).toEqual([
      'document.children[1].component',
      'document.children[1].component: there is no component named "Gallery" in this organization',
    ]);
    expect(await countRows('pages', mine.organization.id)).toBe(0);
  });
});

describe('the shape of a document', () => {
  test('is refused when it is not a tree, repeats a node id, or is too deep or too large', async () => {
    const { organization, member } = await cmsOrganization(fixture.graph.client);
    let deep: any = hero('n0');
    for (let level = 1; level < 21; level++) deep = section(`n${level}`, [deep]);
    const cases: [unknown, string][] = [
      [[], 'document'],
      [{ type: 'page', children: [] }, 'document.type'],
      [documentOf({ id: 'a', props: {} }), 'document.children[0].component'],
      [documentOf(hero('a'), section('b', [hero('a')])), 'document.children[1].children[0].id'],
      [documentOf(deep), `document${'.children[0]'.repeat(21)}`],
      [documentOf(...Array.from({ length: 2001 }, (_, index) => section(`s${index}`))), 'document'],
      [documentOf(hero('a', { title: 'x', subtitle: 'y'.repeat(600 * 1024) })), 'document'],
    ];
    for (const [document, field] of cases) {
      const response = await member.client.request(createMutation, {
        input: { orgId: organization.id, slug: `shape-${unique()}`, title: 'Shape', document },
      });
      expect(refusal(response)[0], field).toBe(field);
    }
    expect(await countRows('pages', organization.id)).toBe(0);
  });
});

describe('props schemas', () => {
  test('must be JSON Schemas that compile, and safe to run', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const cases: [unknown, string][] = [
      [[], 'input.propsSchema'],
      [{ type: 'object', properties: { title: { type: 'text' } } }, 'input.propsSchema.properties.title.type'],
      [{ type: 'object', properties: { title: { type: 'string', maxLenght: 3 } } }, 'input.propsSchema'],
      [{ type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } }, 'input.propsSchema.properties.code'],
      [{ $id: 'https://example.com/other', type: 'object' }, 'input.propsSchema.$id'],
      [{ type: 'object', properties: { other: { $ref: 'https://example.com/schema.json' } } }, 'input.propsSchema'],
    ];
    for (const [propsSchema, field] of cases) {
      const response = await owner.client.request(
        `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`,
        { input: { orgId: organization.id, name: `Broken${unique()}`, propsSchema } },
      );
      expect(refusal(response)[0], JSON.stringify(propsSchema)).toBe(field);
    }
    expect(await countRows('components', organization.id)).toBe(2);
  });

  test('names are unique in an organization', async () => {
    const { organization, owner } = await cmsOrganization(fixture.graph.client);
    const response = await owner.client.request(
      `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { id } }`,
      { input: { orgId: organization.id, name: 'Hero', propsSchema: { type: 'object' } } },
    );
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.name');
  });
});
