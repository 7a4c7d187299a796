import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLResponse } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

/** A stored header of an httpRequest step, as the row keeps it. */
interface StoredHeader {
  name: string;
  secret?: boolean;
  encryptedValue?: string;
}

/** What workflowStepTypes answers for one type. */
interface StepType {
  name: string;
  description: string;
  inputSchema: { type: string; additionalProperties: boolean; properties: Record<string, unknown> };
}

/** Header `index` of step `key` in a row's steps column (JSON text). */
function storedHeader(steps: string, key: string, index: number): StoredHeader {
  const step = (JSON.parse(steps) as { key: string; input: { headers: StoredHeader[] } }[]).find((candidate) => candidate.key === key);
  if (!step) throw new Error(`no step ${key} stored`);
  return step.input.headers[index]!;
}

const fixture = useTestGraph();

const workflowFields = `id name description enabled version scopes createdBy { id } organization { id }
  trigger { type eventType filter cron timeZone }
  steps { key type input next branches { ifTrue ifFalse } }`;
const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { ${workflowFields} } }`;
const update = `mutation ($id: ID!, $input: WorkflowInput!, $version: Int!) { updateWorkflow(id: $id, input: $input, version: $version) { ${workflowFields} } }`;
const read = `query ($id: ID!) { workflow(id: $id) { ${workflowFields} } }`;
const list = `query ($orgId: ID!, $first: Int, $after: String) {
  workflows(orgId: $orgId, first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } }
}`;
const setEnabled = `mutation ($id: ID!, $enabled: Boolean!) { setWorkflowEnabled(id: $id, enabled: $enabled) { id enabled version } }`;
const remove = `mutation ($id: ID!) { deleteWorkflow(id: $id) }`;

/** A three-step workflow: on a deployed token, branch, then email or call a webhook. */
function definition(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Tell treasury',
    description: 'On large deployments.',
    trigger: { type: 'EVENT', eventType: 'token.deployed', filter: { chainId: 1 } },
    steps: [
      { key: 'large', type: 'condition', input: { expression: 'trigger.data.supply > 1000' }, branches: { ifTrue: 'notify', ifFalse: 'hook' } },
      { key: 'notify', type: 'sendEmail', input: { to: 'treasury@example.com', subject: 'New token', body: 'Deployed.' }, next: null },
      {
        key: 'hook',
        type: 'httpRequest',
        input: {
          method: 'POST',
          url: 'https://hooks.example.com/in',
          headers: [
            { name: 'X-Plain', value: 'visible', secret: false },
            { name: 'Authorization', value: 'Bearer very-secret-token-42', secret: true },
          ],
        },
      },
    ],
    scopes: ['tokens:read'],
    ...overrides,
  };
}

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

async function createWorkflow(owner: SignedUpUser, orgId: string, input: Record<string, unknown> = definition()) {
  return (await owner.client.data(create, { orgId, input })).createWorkflow as Record<string, any>;
}

function badInput(response: GraphQLResponse): { message: string; field: unknown } {
  expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  return { message: response.errors![0]!.message, field: response.errors![0]!.extensions?.field };
}

describe('workflow definitions', () => {
  test('a workflow is created at version 1 by its caller, read back, and listed newest first page by page', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    expect(created).toMatchObject({
      name: 'Tell treasury',
      enabled: true,
      version: 1,
      scopes: ['tokens:read'],
      createdBy: { id: owner.id },
      organization: { id: organization.id },
      trigger: { type: 'EVENT', eventType: 'token.deployed', filter: { chainId: 1 }, cron: null, timeZone: null },
    });
    // `next` is made explicit: the following step in the list when it was left out.
    expect(created.steps.map((step: any) => [step.key, step.next, step.branches])).toEqual([
      ['large', null, { ifTrue: 'notify', ifFalse: 'hook' }],
      ['notify', null, null],
      ['hook', null, null],
    ]);
    expect((await owner.client.data(read, { id: created.id })).workflow).toEqual(created);

    const second = await createWorkflow(owner, organization.id, definition({ name: 'Second', trigger: { type: 'MANUAL' } }));
    const third = await createWorkflow(owner, organization.id, definition({ name: 'Third', trigger: { type: 'SCHEDULE', cron: '0 9 * * 1', timeZone: 'Europe/Berlin' } }));
    const firstPage = (await owner.client.data(list, { orgId: organization.id, first: 2 })).workflows;
    expect(firstPage.edges.map((edge: any) => edge.node.name)).toEqual(['Third', 'Second']);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = (await owner.client.data(list, { orgId: organization.id, first: 2, after: firstPage.pageInfo.endCursor })).workflows;
    expect(secondPage.edges.map((edge: any) => edge.node.id)).toEqual([created.id]);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
    expect([second.id, third.id]).not.toContain(created.id);
  });

  test('an update moves to the next version and keeps each version; a stale version is a CONFLICT naming the current one', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    const changed = (await owner.client.data(update, { id: created.id, version: 1, input: definition({ name: 'Renamed' }) })).updateWorkflow;
    expect(changed).toMatchObject({ name: 'Renamed', version: 2 });

    const stale = await owner.client.request(update, { id: created.id, version: 1, input: definition({ name: 'Lost' }) });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions?.currentVersion).toBe(2);
    expect((await owner.client.data(read, { id: created.id })).workflow.name).toBe('Renamed');

    const versions = await fixture.db.query(
      `SELECT version, definition->>'name' AS name FROM workflows.workflow_versions WHERE workflow_id = $1 ORDER BY version`,
      [created.id],
    );
    expect(versions.rows).toEqual([
      { version: 1, name: 'Tell treasury' },
      { version: 2, name: 'Renamed' },
    ]);
  });

  test('enabling and disabling leave the version alone; a deleted workflow is gone from reads, lists and changes', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    expect((await owner.client.data(setEnabled, { id: created.id, enabled: false })).setWorkflowEnabled).toEqual({ id: created.id, enabled: false, version: 1 });
    expect((await owner.client.data(setEnabled, { id: created.id, enabled: true })).setWorkflowEnabled.enabled).toBe(true);

    expect((await owner.client.data(remove, { id: created.id })).deleteWorkflow).toBe(true);
    expect((await owner.client.data(read, { id: created.id })).workflow).toBeNull();
    expect((await owner.client.data(list, { orgId: organization.id })).workflows.edges).toEqual([]);
    expect(errorCodes(await owner.client.request(setEnabled, { id: created.id, enabled: true }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await owner.client.request(remove, { id: created.id }))).toEqual(['NOT_FOUND']);
  });

  test('creating, updating, enabling, disabling and deleting are audited', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    await owner.client.data(update, { id: created.id, version: 1, input: definition({ name: 'Renamed' }) });
    await owner.client.data(setEnabled, { id: created.id, enabled: false });
    await owner.client.data(setEnabled, { id: created.id, enabled: true });
    await owner.client.data(remove, { id: created.id });
    const trail = await fixture.db.query(
      `SELECT action, actor_id, changes::text AS changes FROM audit.entries WHERE organization_id = $1 AND target_id = $2 ORDER BY sequence`,
      [organization.id, created.id],
    );
    expect(trail.rows.map((row) => row.action)).toEqual([
      'workflow.created',
      'workflow.updated',
      'workflow.disabled',
      'workflow.enabled',
      'workflow.deleted',
    ]);
    expect(trail.rows.every((row) => row.actor_id === owner.id)).toBe(true);
    expect(trail.rows.map((row) => row.changes).join('')).not.toContain('very-secret-token-42');
  });

  test('a secret header is stored encrypted and never returned, and an update without its value keeps it', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    const hook = created.steps.find((step: any) => step.key === 'hook');
    expect(hook.input.headers).toEqual([
      { name: 'X-Plain', value: 'visible', secret: false },
      { name: 'Authorization', secret: true },
    ]);
    const listed = await owner.client.request(`query ($orgId: ID!) { workflows(orgId: $orgId) { edges { node { steps { input } } } } }`, { orgId: organization.id });
    expect(JSON.stringify(listed)).not.toContain('very-secret-token-42');

    const stored = async () =>
      (
        await fixture.db.query(
          `SELECT steps::text AS steps, (SELECT string_agg(definition::text, '') FROM workflows.workflow_versions WHERE workflow_id = w.id) AS versions
           FROM workflows.workflows w WHERE id = $1`,
          [created.id],
        )
      ).rows[0] as { steps: string; versions: string };
    const first = await stored();
    expect(first.steps).not.toContain('very-secret-token-42');
    expect(first.versions).not.toContain('very-secret-token-42');
    const sealed = storedHeader(first.steps, 'hook', 1);
    expect(sealed).toMatchObject({ name: 'Authorization', secret: true });
    expect(sealed.encryptedValue).toMatch(/^v1:/);

    // Sent back as read (no value), the secret stays what it was.
    const again = definition();
    (again.steps[2]!.input as { headers?: unknown }).headers = hook.input.headers;
    await owner.client.data(update, { id: created.id, version: 1, input: again });
    const kept = storedHeader((await stored()).steps, 'hook', 1);
    expect(kept.encryptedValue).toBe(sealed.encryptedValue);

    // A new secret header with no value has nothing to keep.
    const missing = definition();
    (missing.steps[2]!.input as { headers?: unknown }).headers = [{ name: 'X-New', secret: true }];
    expect(badInput(await owner.client.request(update, { id: created.id, version: 2, input: missing })).message).toBe(
      'steps[2] (hook).input.headers[0].value: is required (no stored secret to keep)',
    );
  });

  test('bad definitions are refused with BAD_USER_INPUT naming the step and field, and nothing is written', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const email = { key: 'notify', type: 'sendEmail', input: { to: 'treasury@example.com', subject: 's', body: 'b' } };
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { steps: [email, { key: 'wait', type: 'delay', input: { duration: 'PT1M' } }, { ...email, key: 'mail2', input: { to: 'not-an-email', subject: 's', body: 'b' } }] },
        'steps[2] (mail2).input.to: must be an email',
        'input.steps[2].input.to',
      ],
      [{ steps: [{ ...email, input: { to: 'a@example.com', subject: 's' } }] }, 'steps[0] (notify).input.body: is required', 'input.steps[0].input.body'],
      [{ steps: [{ key: 'x', type: 'teleport', input: {} }] }, 'steps[0] (x).type: must be a name from workflowStepTypes', 'input.steps[0].type'],
      [{ steps: [email, email] }, 'steps[1] (notify).key: repeats the key of steps[0]', 'input.steps[1].key'],
      [{ steps: [{ ...email, next: 'nowhere' }] }, 'steps[0] (notify).next: names no step of this workflow (nowhere)', 'input.steps[0].next'],
      [
        { steps: [{ ...email, key: 'a', next: 'b' }, { ...email, key: 'b', next: 'a' }] },
        'steps[1] (b).next: leads back to a, which makes a cycle',
        'input.steps[1].next',
      ],
      [
        { steps: Array.from({ length: 51 }, (_, index) => ({ ...email, key: `s${index}` })) },
        'input.steps: must hold at most 50 steps',
        'input.steps',
      ],
      [
        { steps: [{ key: 'check', type: 'condition', input: { expression: 'process.exit(1)' }, branches: {} }] },
        'steps[0] (check).input.expression: calls a function, which conditions do not allow',
        'input.steps[0].input.expression',
      ],
      [
        { steps: [{ key: 'check', type: 'condition', input: { expression: 'process.env.SECRET == "x"' }, branches: {} }] },
        'steps[0] (check).input.expression: uses `process`; names start from trigger, vars or steps',
        'input.steps[0].input.expression',
      ],
      [
        { steps: [{ ...email, branches: { ifTrue: 'notify' } }] },
        'steps[0] (notify).branches: is only for a condition',
        'input.steps[0].branches',
      ],
      [
        { steps: [{ key: 'check', type: 'condition', input: { expression: 'trigger.a >' }, branches: {} }] },
        '',
        'input.steps[0].input.expression',
      ],
      [
        { steps: [{ key: 'call', type: 'httpRequest', input: { method: 'GET', url: 'https://x.example', headers: [{ name: 'Idempotency-Key', value: 'k' }] } }] },
        'steps[0] (call).input.headers[0].name: must not be Idempotency-Key: the platform sets it',
        'input.steps[0].input.headers[0].name',
      ],
      [
        { steps: [{ key: 'q', type: 'graphql', input: { query: 'subscription { pageEvents(pageId: "x") { version } }' } }] },
        'steps[0] (q).input.query: must be a query or a mutation, not a subscription',
        'input.steps[0].input.query',
      ],
      [{ trigger: { type: 'EVENT', eventType: 'no.such.event' } }, 'trigger.eventType: must be a name from webhookEventTypes', 'input.trigger.eventType'],
      [{ trigger: { type: 'SCHEDULE', cron: '61 9 * * *', timeZone: 'Europe/Berlin' } }, '', 'input.trigger.cron'],
      [{ trigger: { type: 'SCHEDULE', cron: '0 9 * * 1', timeZone: 'Mars/Olympus_Mons' } }, 'trigger.timeZone: must be an IANA time zone such as Europe/Berlin', 'input.trigger.timeZone'],
      [{ scopes: ['everything:write'] }, 'input.scopes[0]: must be a name from apiScopes', 'input.scopes[0]'],
    ];
    for (const [overrides, message, field] of cases) {
      const refused = badInput(await owner.client.request(create, { orgId: organization.id, input: definition(overrides) }));
      expect(refused.field, JSON.stringify(overrides).slice(0, 200)).toBe(field);
      if (message) expect(refused.message).toBe(message);
    }
    const rows = await fixture.db.query('SELECT count(*)::int AS n FROM workflows.workflows WHERE organization_id = $1', [organization.id]);
    expect(rows.rows[0].n).toBe(0);
  });

  test('members and viewers read but cannot manage; another organization cannot see them', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const reader = await signUpUser(fixture.graph.client);
      await addMember(owner, organization.id, reader, role);
      expect((await reader.client.data(read, { id: created.id })).workflow.id).toBe(created.id);
      expect(errorCodes(await reader.client.request(create, { orgId: organization.id, input: definition() }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await reader.client.request(setEnabled, { id: created.id, enabled: false }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await reader.client.request(remove, { id: created.id }))).toEqual(['FORBIDDEN']);
    }
    const admin = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, admin, 'ADMIN');
    const byAdmin = await createWorkflow(admin, organization.id, definition({ name: 'By the admin' }));
    expect(byAdmin.createdBy).toEqual({ id: admin.id });

    const stranger = (await ownerWithOrganization()).owner;
    expect((await stranger.client.data(read, { id: created.id })).workflow).toBeNull();
    expect(errorCodes(await stranger.client.request(update, { id: created.id, version: 1, input: definition() }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await stranger.client.request(remove, { id: created.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await stranger.client.request(list, { orgId: organization.id }))).toEqual(['FORBIDDEN']);
    expect((await owner.client.data(read, { id: created.id })).workflow.enabled).toBe(true);
  });

  test('API keys need workflows:read to read and workflows:write to manage, and grant a workflow no scope they lack', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const created = await createWorkflow(owner, organization.id);
    const keyWith = async (scopes: string[]) => {
      const data = await owner.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
        input: { orgId: organization.id, name: scopes.join(' '), scopes },
      });
      return fixture.graph.client.as(data.createApiKey.secret as string);
    };
    const reader = await keyWith(['workflows:read']);
    expect((await reader.data(read, { id: created.id })).workflow.id).toBe(created.id);
    expect(errorCodes(await reader.request(create, { orgId: organization.id, input: definition() }))).toEqual(['FORBIDDEN']);

    const writer = await keyWith(['workflows:read', 'workflows:write', 'tokens:read']);
    const made = (await writer.data(create, { orgId: organization.id, input: definition() })).createWorkflow;
    expect(made.scopes).toEqual(['tokens:read']);
    const beyond = badInput(await writer.request(create, { orgId: organization.id, input: definition({ scopes: ['cms:write'] }) }));
    expect(beyond).toEqual({
      message: 'scopes: cms:write is not a scope you hold; a workflow can only be given scopes its creator has',
      field: 'input.scopes',
    });
    const unrelated = await keyWith(['tokens:read']);
    expect(errorCodes(await unrelated.request(read, { id: created.id }))).toEqual(['FORBIDDEN']);
  });

  test('workflowStepTypes lists every step type with the JSON Schema of its input', async () => {
    const { owner } = await ownerWithOrganization();
    const types = (await owner.client.data(`{ workflowStepTypes { name description inputSchema } }`)).workflowStepTypes as StepType[];
    expect(types.map((type) => type.name)).toEqual(['condition', 'setVariables', 'delay', 'sendEmail', 'httpRequest', 'aiPrompt', 'graphql']);
    for (const type of types) {
      expect(type.description.length).toBeGreaterThan(10);
      expect(type.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(types.find((type) => type.name === 'sendEmail')!.inputSchema.properties.to).toEqual({
      type: 'string',
      maxLength: 254,
      anyOf: [{ format: 'email' }, { pattern: '^\\{\\{\\s*[A-Za-z0-9_.-]+\\s*\\}\\}$' }],
    });
  });

  test("the README's example workflow saves as written, with its steps in the order given", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /A complete example:[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README.md holds the example workflow').toBeDefined();
    const { owner, organization } = await ownerWithOrganization();
    const mutation = example!.replace('orgId: "…"', `orgId: "${organization.id}"`).replace('{ id version }', `{ ${workflowFields} }`);
    const created = (await owner.client.data(mutation)).createWorkflow;
    expect(created.version).toBe(1);
    expect(created.trigger).toMatchObject({ type: 'EVENT', eventType: 'token.deployed', filter: { chainId: 31337 } });
    expect(created.steps.map((step: { key: string; type: string; next: string | null }) => [step.key, step.type, step.next])).toEqual([
      ['token', 'graphql', 'standard'],
      ['standard', 'condition', null],
      ['email', 'sendEmail', 'post'],
      ['post', 'httpRequest', null],
    ]);
  });
});
