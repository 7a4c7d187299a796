import { randomUUID } from 'node:crypto';
import { insertOp, moveOp, removeOp, replaceOp, type JSONOp } from 'ot-json1';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero, type CmsOrganization } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { LiveEditor } from '../testkit/live-editor.ts';

/**
 * Two complete instances (each a gateway and a cms replica, among the other subgraphs)
 * on one Postgres and one Redis, as one deployment: editors on different gateways, their
 * edits accepted by different replicas, racing on one page.
 */
let first: TestGraph;
let second: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  const env = { EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:` };
  [first, second] = await Promise.all([startTestGraph(env), startTestGraph(env)]);
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await Promise.all([first?.close(), second?.close()]);
});

/** A random edit an editor could make to the document it has now; always leaves a valid tree. */
function randomEdit(document: { children: { id: string; props: { title: string } }[] }, author: string): JSONOp {
  const count = document.children.length;
  const at = (extra = 0) => Math.floor(Math.random() * (count + extra));
  const roll = Math.random();
  if (count < 3 || roll < 0.35) {
    return insertOp(['children', at(1)], hero(`${author}-${randomUUID().slice(0, 8)}`, { title: `by ${author}` }) as never);
  }
  if (roll < 0.55) return removeOp(['children', at()]);
  if (roll < 0.85) return replaceOp(['children', at(), 'props', 'title'], true, `${author} ${Math.random().toFixed(6)}`);
  return moveOp(['children', at()], ['children', at()]);
}

describe('three editors on two gateways and two cms replicas', () => {
  test('edit one page concurrently and all end with the stored document, versions gap-free, nothing lost or doubled', async () => {
    const seed: CmsOrganization = await cmsOrganization(first.client);
    const page = await createPage(seed.owner.client, {
      orgId: seed.organization.id,
      document: documentOf(hero('h1'), hero('h2'), hero('h3')),
    });
    const people = [
      { user: seed.owner, graph: first },
      { user: seed.member, graph: second },
      { user: seed.admin, graph: first },
    ];
    const editors = people.map(
      ({ user, graph }) =>
        new LiveEditor(graph.gateway.url, graph.client.as(user.accessToken), user.accessToken, page.id, {
          document: page.document,
          version: page.version,
        }),
    );
    await Promise.all(editors.map((editor) => editor.connect()));

    const editsEach = 100;
    await Promise.all(
      editors.map(async (editor, index) => {
        for (let made = 0; made < editsEach; made++) {
          editor.edit(randomEdit(editor.document as never, `e${index}`));
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        }
        await editor.idle();
      }),
    );
    const total = editors.reduce((sum, editor) => sum + editor.submitted.length, 0);
    expect(total).toBeGreaterThan(250);
    const finalVersion = page.version + total;
    // Everyone has everyone's edits once the last one has reached them.
    for (let waited = 0; waited < 20_000 && editors.some((editor) => editor.version < finalVersion); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const editor of editors) await editor.disconnect();

    expect(editors.flatMap((editor) => editor.problems)).toEqual([]);
    expect(editors.map((editor) => editor.version)).toEqual([finalVersion, finalVersion, finalVersion]);
    const stored = await db.query('SELECT document, version FROM cms.pages WHERE id = $1', [page.id]);
    expect(stored.rows[0].version).toBe(finalVersion);
    for (const editor of editors) expect(editor.document).toEqual(stored.rows[0].document);

    const history = await db.query(
      'SELECT version, submission_id FROM cms.page_operations WHERE page_id = $1 ORDER BY version',
      [page.id],
    );
    expect(history.rows.map((row) => row.version)).toEqual(
      Array.from({ length: total }, (_, index) => page.version + 1 + index),
    );
    expect(history.rows.map((row) => row.submission_id).sort()).toEqual(
      editors.flatMap((editor) => editor.submitted).sort(),
    );
    // The edits did race: many were made against a version others had moved past, and
    // were transformed.
    const transformed = await db.query(
      'SELECT count(*)::int AS n FROM cms.page_operations WHERE page_id = $1 AND base_version < version - 1',
      [page.id],
    );
    expect(transformed.rows[0].n).toBeGreaterThan(20);
    // Events carried their author, resolved by identity through the gateway.
    for (const editor of editors) {
      expect([...editor.authorNames].sort()).toEqual(people.map(({ user }) => user.displayName).sort());
    }
  }, 180_000);
});
