import { randomUUID } from 'node:crypto';
import { insertOp, removeOp, replaceOp, type JSONOp } from 'ot-json1';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { cmsOrganization, createPage, documentOf, hero, updatePage } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { pageEventsSubscription, submitMutation } from '../testkit/live-editor.ts';
import { signUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';

/** Short presence and a short history window, so lapses and "too far behind" come quickly. */
let graph: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  graph = await startTestGraph({ PRESENCE_TTL_SECONDS: '1', LIVE_EDIT_MAX_VERSIONS_BEHIND: '5' });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
});

function submit(client: GraphQLClient, pageId: string, baseVersion: number, operations: unknown, submissionId?: string) {
  return client.request(submitMutation, { pageId, baseVersion, operations, submissionId });
}

async function stored(pageId: string) {
  const page = await db.query('SELECT document, version FROM cms.pages WHERE id = $1', [pageId]);
  const operations = await db.query('SELECT count(*)::int AS n FROM cms.page_operations WHERE page_id = $1', [pageId]);
  return { document: page.rows[0].document, version: page.rows[0].version, operations: operations.rows[0].n };
}

async function livePage() {
  const seed = await cmsOrganization(graph.client);
  const page = await createPage(seed.owner.client, {
    orgId: seed.organization.id,
    document: documentOf(hero('h1'), hero('h2')),
  });
  return { ...seed, page };
}

const retitle = (index: number, title: unknown): JSONOp => replaceOp(['children', index, 'props', 'title'], true, title as never);

describe('who may take part', () => {
  test('a bad token closes the socket with 4403 before any subscription', async () => {
    const { page } = await livePage();
    let closed: number | undefined;
    const client = webSocketClient(graph.gateway.url, { token: 'not-a-token', onClose: (code) => (closed = code) });
    try {
      const subscription = await subscribeOverWebSocket(client, pageEventsSubscription, { pageId: page.id });
      await subscription.completed();
      expect(closed).toBe(4403);
    } finally {
      await client.dispose();
    }
  });

  test('a non-member can neither follow, join nor edit, and nothing is written', async () => {
    const { page } = await livePage();
    const stranger = await signUpUser(graph.client);
    const socket = webSocketClient(graph.gateway.url, { token: stranger.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
      expect((await subscription.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await socket.dispose();
    }
    const join = await stranger.client.request(`mutation ($pageId: ID!) { joinPageSession(pageId: $pageId) { id } }`, {
      pageId: page.id,
    });
    expect(errorCodes(join)).toEqual(['FORBIDDEN']);
    const before = await stored(page.id);
    expect(errorCodes(await submit(stranger.client, page.id, page.version, [retitle(0, 'Mine now')]))).toEqual(['FORBIDDEN']);
    expect(await stored(page.id)).toEqual(before);
  });

  test('a VIEWER follows the page but can neither join nor edit', async () => {
    const { page, viewer, owner } = await livePage();
    const socket = webSocketClient(graph.gateway.url, { token: viewer.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
      expect(errorCodes(await submit(viewer.client, page.id, page.version, [retitle(0, 'Viewer was here')]))).toEqual([
        'FORBIDDEN',
      ]);
      await submit(owner.client, page.id, page.version, [retitle(0, 'Owner was here')]);
      const event = await subscription.next();
      expect(event.data?.pageEvents).toMatchObject({ __typename: 'PageOperation', version: page.version + 1 });
    } finally {
      await socket.dispose();
    }
    const join = await viewer.client.request(`mutation ($pageId: ID!) { joinPageSession(pageId: $pageId) { id } }`, {
      pageId: page.id,
    });
    expect(errorCodes(join)).toEqual(['FORBIDDEN']);
  });

  test('a member removed from the organization stops receiving its events at once', async () => {
    const { page, owner, member, organization } = await livePage();
    const socket = webSocketClient(graph.gateway.url, { token: member.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
      await submit(owner.client, page.id, page.version, [retitle(0, 'Before')]);
      expect((await subscription.next()).data?.pageEvents.version).toBe(page.version + 1);
      await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, {
        orgId: organization.id,
        userId: member.id,
      });
      await submit(owner.client, page.id, page.version + 1, [retitle(0, 'After')]);
      const cut = await subscription.next();
      expect(cut.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(cut.data?.pageEvents ?? null).toBeNull();
      await subscription.completed();
      expect(subscription.pending()).toEqual([]);
    } finally {
      await socket.dispose();
    }
    expect(errorCodes(await submit(member.client, page.id, page.version + 2, [retitle(1, 'Still here?')]))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('a submission that cannot be applied is refused whole, and the page stays as it was', () => {
  const cases: [string, (version: number) => { baseVersion: number; operations: unknown }, RegExp][] = [
    ['an empty list', (version) => ({ baseVersion: version, operations: [] }), /operations: must be a non-empty list/],
    ['not an ot-json1 operation', (version) => ({ baseVersion: version, operations: [{ nonsense: 1 }] }), /operations\[0\]: not a valid ot-json1 operation/],
    ['a path the document does not have', (version) => ({ baseVersion: version, operations: [removeOp(['children', 40])] }), /do not apply to the document/],
    [
      'a node of an unknown component',
      (version) => ({ baseVersion: version, operations: [insertOp(['children', 0], { id: 'x', component: 'Nope', props: {}, children: [] })] }),
      /document\.children\[0\]/,
    ],
    ['props that break the schema', (version) => ({ baseVersion: version, operations: [retitle(0, 42)] }), /document\.children\[0\]\.props\.title/],
    ['a node id used twice', (version) => ({ baseVersion: version, operations: [insertOp(['children', 0], hero('h2') as never)] }), /document/],
    ['a root that is no longer a root', (version) => ({ baseVersion: version, operations: [replaceOp(['type'], true, 'page')] }), /document/],
    ['a base version the page has not reached', (version) => ({ baseVersion: version + 10, operations: [retitle(0, 'Future')] }), /baseVersion: the page is at version/],
    ['more than 100 operations', (version) => ({ baseVersion: version, operations: Array.from({ length: 101 }, (_, i) => retitle(0, `t${i}`)) }), /at most 100 per submission/],
    ['more than 64 KiB', (version) => ({ baseVersion: version, operations: [retitle(0, 'x'.repeat(70_000))] }), /bytes; at most 65536/],
  ];

  test.each(cases)('%s: BAD_USER_INPUT', async (_name, make, message) => {
    const { page, member } = await livePage();
    const before = await stored(page.id);
    const { baseVersion, operations } = make(page.version);
    const response = await submit(member.client, page.id, baseVersion, operations);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(await stored(page.id)).toEqual(before);
  });

  test('an edit against a version within reach is transformed; one further behind than the window is a CONFLICT', async () => {
    const { page, owner, member } = await livePage();
    // The owner inserts five nodes at the top; the member, still at the first version,
    // retitles what was then the first node, which is now the sixth.
    for (let made = 0; made < 5; made++) {
      await submit(owner.client, page.id, page.version + made, [insertOp(['children', 0], hero(`n${made}`) as never)]);
    }
    const accepted = await submit(member.client, page.id, page.version, [retitle(0, 'Member title')]);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.submitPageOperations).toMatchObject({ version: page.version + 6, baseVersion: page.version });
    const after = await stored(page.id);
    expect(after.document.children.map((node: { id: string }) => node.id)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0', 'h1', 'h2']);
    expect(after.document.children[5].props.title).toBe('Member title');

    const tooOld = await submit(member.client, page.id, page.version, [retitle(0, 'Too late')]);
    expect(errorCodes(tooOld)).toEqual(['CONFLICT']);
    expect(tooOld.errors?.[0]?.extensions?.currentVersion).toBe(page.version + 6);
    expect(await stored(page.id)).toEqual(after);
  });

  test('a submission retried with its submissionId is applied once and answers the first result', async () => {
    const { page, member } = await livePage();
    const submissionId = randomUUID();
    const operation = insertOp(['children', 0], hero('once') as never);
    const firstTry = await submit(member.client, page.id, page.version, [operation], submissionId);
    const retry = await submit(member.client, page.id, page.version, [operation], submissionId);
    expect(retry.data?.submitPageOperations).toEqual(firstTry.data?.submitPageOperations);
    const after = await stored(page.id);
    expect(after.version).toBe(page.version + 1);
    expect(after.operations).toBe(1);
    expect(after.document.children.filter((node: { id: string }) => node.id === 'once')).toHaveLength(1);
  });

  test('an archived page takes no edits', async () => {
    const { page, owner } = await livePage();
    await owner.client.data(`mutation ($id: ID!) { archivePage(id: $id) { status } }`, { id: page.id });
    const response = await submit(owner.client, page.id, page.version, [retitle(0, 'Archived?')]);
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect((await stored(page.id)).operations).toBe(0);
  });
});

describe('catching up', () => {
  test('an editor that reconnects from its last version receives exactly what it missed, in order, then live edits', async () => {
    const { page, owner, member } = await livePage();
    const socket = webSocketClient(graph.gateway.url, { token: member.accessToken });
    const subscription = await subscribeOverWebSocket(socket, pageEventsSubscription, { pageId: page.id });
    await submit(owner.client, page.id, page.version, [retitle(0, 'Seen')]);
    const seen = (await subscription.next()).data?.pageEvents.version as number;
    await socket.dispose();

    for (let made = 0; made < 4; made++) await submit(owner.client, page.id, seen + made, [retitle(1, `Missed ${made}`)]);
    const again = webSocketClient(graph.gateway.url, { token: member.accessToken });
    try {
      const resumed = await subscribeOverWebSocket(again, pageEventsSubscription, { pageId: page.id, afterVersion: seen });
      const missed = [];
      for (let index = 0; index < 4; index++) missed.push((await resumed.next()).data?.pageEvents);
      expect(missed.map((event) => event.version)).toEqual([seen + 1, seen + 2, seen + 3, seen + 4]);
      expect(missed.map((event) => event.operation)).toEqual([0, 1, 2, 3].map((made) => retitle(1, `Missed ${made}`)));
      await submit(owner.client, page.id, seen + 4, [retitle(0, 'Live again')]);
      expect((await resumed.next()).data?.pageEvents).toMatchObject({ version: seen + 5, author: { displayName: owner.displayName } });
      expect(resumed.pending()).toEqual([]);
    } finally {
      await again.dispose();
    }
  });

  test('a second subscriber resuming from the same version gets the whole catch-up too, though the first has had it', async () => {
    // The gateway shares a subgraph stream between subscribers of one audience only until
    // it has sent something: the second must not join the first's (and miss its catch-up).
    const { page, owner, member } = await livePage();
    for (let made = 0; made < 3; made++) await submit(owner.client, page.id, page.version + made, [retitle(1, `Before ${made}`)]);
    const socket = webSocketClient(graph.gateway.url, { token: member.accessToken });
    try {
      const variables = { pageId: page.id, afterVersion: page.version };
      const first = await subscribeOverWebSocket(socket, pageEventsSubscription, variables);
      const firstCatchUp = [];
      for (let index = 0; index < 3; index++) firstCatchUp.push((await first.next()).data?.pageEvents.version);
      const second = await subscribeOverWebSocket(socket, pageEventsSubscription, variables);
      const secondCatchUp = [];
      for (let index = 0; index < 3; index++) secondCatchUp.push((await second.next()).data?.pageEvents.version);
      const expected = [page.version + 1, page.version + 2, page.version + 3];
      expect(firstCatchUp).toEqual(expected);
      expect(secondCatchUp).toEqual(expected);
      await submit(owner.client, page.id, page.version + 3, [retitle(0, 'Both see this')]);
      for (const subscription of [first, second]) {
        expect((await subscription.next()).data?.pageEvents.version).toBe(page.version + 4);
        expect(subscription.pending()).toEqual([]);
      }
    } finally {
      await socket.dispose();
    }
  });

  test('the history holds whole-document changes too, and pageOperations pages through it', async () => {
    const { page, owner } = await livePage();
    await submit(owner.client, page.id, page.version, [retitle(0, 'Live edit')]);
    const replaced = await updatePage(owner.client, page.id, page.version + 1, { document: documentOf(hero('fresh')) });
    expect(replaced.version).toBe(page.version + 2);
    const history = await owner.client.data(
      `query ($pageId: ID!, $after: Int!) { pageOperations(pageId: $pageId, afterVersion: $after, first: 1) { version operation author { displayName } } }`,
      { pageId: page.id, after: page.version + 1 },
    );
    expect(history.pageOperations).toEqual([
      { version: page.version + 2, operation: [{ r: true, i: documentOf(hero('fresh')) }], author: { displayName: owner.displayName } },
    ]);
    const farBack = await owner.client.request(
      `query ($pageId: ID!) { pageOperations(pageId: $pageId, afterVersion: -1) { version } }`,
      { pageId: page.id },
    );
    expect(errorCodes(farBack)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('presence', () => {
  const join = `mutation ($pageId: ID!, $cursor: JSON) {
    joinPageSession(pageId: $pageId, cursor: $cursor) { id ttlSeconds participants { sessionId cursor user { displayName } } }
  }`;
  const move = `mutation ($pageId: ID!, $sessionId: ID!, $cursor: JSON) {
    updatePresence(pageId: $pageId, sessionId: $sessionId, cursor: $cursor) { sessionId cursor }
  }`;

  test('editors see each other join and move; a session tied to a subscription leaves when it disconnects', async () => {
    const { page, owner, member } = await livePage();
    const watcher = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    const editor = webSocketClient(graph.gateway.url, { token: member.accessToken });
    try {
      const watching = await subscribeOverWebSocket(watcher, pageEventsSubscription, { pageId: page.id });
      const session = (await member.client.data(join, { pageId: page.id, cursor: { node: 'h1' } })).joinPageSession;
      expect(session.participants).toEqual([{ sessionId: session.id, cursor: { node: 'h1' }, user: { displayName: member.displayName } }]);
      expect((await watching.next()).data?.pageEvents).toMatchObject({
        change: 'JOINED',
        presence: { sessionId: session.id, cursor: { node: 'h1' }, user: { displayName: member.displayName } },
      });
      await subscribeOverWebSocket(editor, pageEventsSubscription, { pageId: page.id, sessionId: session.id });
      await member.client.data(move, { pageId: page.id, sessionId: session.id, cursor: { node: 'h2' } });
      expect((await watching.next()).data?.pageEvents).toMatchObject({ change: 'UPDATED', presence: { cursor: { node: 'h2' } } });
      await editor.dispose();
      expect((await watching.next()).data?.pageEvents).toMatchObject({ change: 'LEFT', presence: { sessionId: session.id } });
      const present = await owner.client.data(`query ($pageId: ID!) { pagePresence(pageId: $pageId) { sessionId } }`, {
        pageId: page.id,
      });
      expect(present.pagePresence).toEqual([]);
    } finally {
      await watcher.dispose();
      await editor.dispose();
    }
  });

  test('a silent session lapses after its TTL: the others see it leave, and it cannot be revived', async () => {
    const { page, owner, member } = await livePage();
    const watcher = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    try {
      const watching = await subscribeOverWebSocket(watcher, pageEventsSubscription, { pageId: page.id });
      const session = (await member.client.data(join, { pageId: page.id })).joinPageSession;
      expect(session.ttlSeconds).toBe(1);
      expect((await watching.next()).data?.pageEvents.change).toBe('JOINED');
      const left = await watching.next(4_000);
      expect(left.data?.pageEvents).toMatchObject({ change: 'LEFT', presence: { sessionId: session.id } });
      const revived = await member.client.request(move, { pageId: page.id, sessionId: session.id, cursor: null });
      expect(errorCodes(revived)).toEqual(['NOT_FOUND']);
    } finally {
      await watcher.dispose();
    }
  });

  test("a cursor over 2 KiB is refused, and another user's session is not yours to move", async () => {
    const { page, owner, member } = await livePage();
    const oversized = await member.client.request(join, { pageId: page.id, cursor: { note: 'x'.repeat(3_000) } });
    expect(errorCodes(oversized)).toEqual(['BAD_USER_INPUT']);
    const session = (await member.client.data(join, { pageId: page.id })).joinPageSession;
    const hijack = await owner.client.request(move, { pageId: page.id, sessionId: session.id, cursor: { node: 'h1' } });
    expect(errorCodes(hijack)).toEqual(['NOT_FOUND']);
  });
});
