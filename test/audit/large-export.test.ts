import { auditExportHandler } from '@token-nexus/audit/exports';
import { createLogger } from '@token-nexus/shared';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** Appends `count` generated entries to an organization's chain, straight in SQL (fast). */
async function generateEntries(organizationId: string, count: number): Promise<number> {
  const head = await fixture.db.query('SELECT last_sequence FROM audit.chain_heads WHERE chain_key = $1', [organizationId]);
  const start = head.rows[0].last_sequence as number;
  await fixture.db.query(
    `INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type, actor_id,
       action, target_type, target_id, changes, severity, previous_hash, hash)
     SELECT gen_random_uuid(), $1::text, $2 + g, $1::uuid, now(), 'SYSTEM', 'generator',
       'bulk.generated', 'row', g::text, jsonb_build_object('after', jsonb_build_object('n', g, 'note', 'a "quoted", comma''d value')),
       'INFO', repeat('0', 64), md5(g::text) || md5(g::text)
     FROM generate_series(1, $3) AS g`,
    [organizationId, start, count],
  );
  await fixture.db.query('UPDATE audit.chain_heads SET last_sequence = $2 WHERE chain_key = $1', [organizationId, start + count]);
  return start + count;
}

async function exportAndWait(owner: SignedUpUser, organizationId: string, format: 'CSV' | 'NDJSON') {
  const { exportAuditLogs } = await owner.client.data(
    `mutation ($orgId: ID!, $format: AuditExportFormat!) { exportAuditLogs(orgId: $orgId, format: $format) { id } }`,
    { orgId: organizationId, format },
  );
  for (let tries = 0; tries < 300; tries++) {
    const { auditExport } = await owner.client.data(`query ($id: ID!) { auditExport(id: $id) { status rowCount downloadUrl } }`, {
      id: exportAuditLogs.id,
    });
    if (auditExport.status === 'SUCCEEDED') return { id: exportAuditLogs.id, ...auditExport };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('export did not finish');
}

describe('a 100,000-row export', () => {
  test('downloads every row once, as valid NDJSON and CSV', { timeout: 120_000 }, async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const last = await generateEntries(organization.id, 100_000);

    const ndjson = await exportAndWait(owner, organization.id, 'NDJSON');
    expect(ndjson.rowCount).toBe(last + 1);
    const text = await (await fetch(new URL(ndjson.downloadUrl, fixture.graph.gateway.url))).text();
    const rows = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { sequence: number });
    expect(rows).toHaveLength(ndjson.rowCount);
    expect(rows.map((row) => row.sequence)).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));

    const csv = await exportAndWait(owner, organization.id, 'CSV');
    const csvText = await (await fetch(new URL(csv.downloadUrl, fixture.graph.gateway.url))).text();
    // Quoted fields never contain raw newlines here, so a line is a row.
    expect(csvText.trimEnd().split('\n')).toHaveLength(csv.rowCount + 1);
    expect(csvText).toContain('"{""after"":{""n"":1,""note"":""a \\""quoted\\"", comma\'d value""}}"');
  });

  test('an export job that was interrupted and runs again finds the same rows, never a duplicate', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await generateEntries(organization.id, 500);
    const created = await fixture.graph.database.prisma.auditExport.create({
      data: { organizationId: organization.id, requestedById: owner.id, format: 'NDJSON', filter: {} },
    });
    // The first attempt fixed its snapshot, then its worker died before finishing.
    await fixture.graph.database.prisma.auditExport.update({ where: { id: created.id }, data: { status: 'RUNNING', upToSequence: 501 } });
    await generateEntries(organization.id, 50);
    const handler = auditExportHandler(fixture.graph.database.prisma, createLogger('test', 'silent'), () => {});
    const context = { jobId: 'retry', attempt: 2, signal: new AbortController().signal };
    await handler.run({ exportId: created.id }, context);
    await handler.run({ exportId: created.id }, context);
    const finished = await fixture.graph.database.prisma.auditExport.findUniqueOrThrow({ where: { id: created.id } });
    expect(finished).toMatchObject({ status: 'SUCCEEDED', rowCount: 501, upToSequence: 501 });
  });
});
