import { createDownloadSigner } from '@token-nexus/audit/download-links';
import { fetch } from 'undici';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const requestExport = `mutation ($orgId: ID!, $filter: AuditFilter, $format: AuditExportFormat!) {
  exportAuditLogs(orgId: $orgId, filter: $filter, format: $format) { id status format }
}`;
const exportQuery = `query ($id: ID!) {
  auditExport(id: $id) { id status rowCount downloadUrl downloadUrlExpiresAt failureReason organization { id } }
}`;

/** Polls the export until its job has finished. */
async function finishedExport(client: GraphQLClient, id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { auditExport } = await client.data(exportQuery, { id });
    if (auditExport.status === 'SUCCEEDED' || auditExport.status === 'FAILED') return auditExport;
    if (Date.now() > deadline) throw new Error(`export still ${auditExport.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function download(path: string) {
  const response = await fetch(new URL(path, fixture.graph.gateway.url));
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function organizationWithMembers(count: number) {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  const members = await Promise.all(Array.from({ length: count }, () => signUpUser(fixture.graph.client)));
  for (const member of members) await addMember(owner, organization.id, member, 'MEMBER');
  return { owner, organization, members };
}

describe('exporting the trail', () => {
  test('CSV: the job finishes with the row count, and the signed link downloads exactly those rows', async () => {
    const { owner, organization } = await organizationWithMembers(3);
    const requested = (await owner.client.data(requestExport, { orgId: organization.id, format: 'CSV' })).exportAuditLogs;
    expect(requested).toMatchObject({ status: 'QUEUED', format: 'CSV' });
    const done = await finishedExport(owner.client, requested.id);
    // organization.created + 3 × member.added, and the export request itself.
    expect(done).toMatchObject({ status: 'SUCCEEDED', rowCount: 5, organization: { id: organization.id } });
    expect(done.downloadUrl).toMatch(/^\/downloads\/audit-exports\//);
    expect(new Date(done.downloadUrlExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const file = await download(done.downloadUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toContain('attachment');
    const lines = file.text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'sequence,occurredAt,actorType,actorId,action,targetType,targetId,severity,requestId,clientIp,userAgent,changes,previousHash,hash',
    );
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).map((line) => line.split(',')[4])).toEqual([
      'organization.created',
      'member.added',
      'member.added',
      'member.added',
      'audit.export_requested',
    ]);
  });

  test('NDJSON with a filter: one JSON object per matching entry', async () => {
    const { owner, organization } = await organizationWithMembers(2);
    const requested = (
      await owner.client.data(requestExport, { orgId: organization.id, format: 'NDJSON', filter: { actionPrefix: 'member.' } })
    ).exportAuditLogs;
    const done = await finishedExport(owner.client, requested.id);
    expect(done.rowCount).toBe(2);
    const file = await download(done.downloadUrl);
    expect(file.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = file.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => row.action)).toEqual(['member.added', 'member.added']);
    expect(rows[0]).toMatchObject({ sequence: 2, actorType: 'USER', actorId: owner.id, severity: 'INFO' });
  });

  test('the snapshot is fixed when the job runs: later entries never join a finished export', async () => {
    const { owner, organization, members } = await organizationWithMembers(1);
    const requested = (await owner.client.data(requestExport, { orgId: organization.id, format: 'NDJSON' })).exportAuditLogs;
    const done = await finishedExport(owner.client, requested.id);
    await owner.client.data(`mutation ($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) }`, {
      o: organization.id,
      u: members[0]!.id,
    });
    const again = await finishedExport(owner.client, requested.id);
    const rows = (await download(again.downloadUrl)).text.trimEnd().split('\n');
    expect(rows).toHaveLength(done.rowCount);
  });

  test('a tampered, expired or foreign link is refused with FORBIDDEN', async () => {
    const { owner, organization } = await organizationWithMembers(0);
    const requested = (await owner.client.data(requestExport, { orgId: organization.id, format: 'CSV' })).exportAuditLogs;
    const done = await finishedExport(owner.client, requested.id);
    // The first character changed: all six of its bits count (the last one's do not all,
    // so changing only the end can leave the decoded signature as it was).
    const tampered = done.downloadUrl.replace(
      /signature=([^&]+)/,
      (_m: string, sig: string) => `signature=${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`,
    );
    const longer = done.downloadUrl.replace(/expires=(\d+)/, (_m: string, at: string) => `expires=${Number(at) + 3_600_000}`);
    const signer = createDownloadSigner('development-only gateway signing secret: never use in production');
    const expired = signer.link(requested.id, Date.now() - 16 * 60 * 1000).url;
    const other = (await owner.client.data(requestExport, { orgId: organization.id, format: 'CSV' })).exportAuditLogs;
    const borrowed = done.downloadUrl.replace(requested.id, other.id);
    for (const path of [tampered, longer, expired, borrowed]) {
      const response = await download(path);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await download(`/downloads/audit-exports/..%2F..%2Fhealth%2Flive`)).status).toBe(404);
  });

  test('only OWNERs and ADMINs may ask for or look at an export', async () => {
    const { owner, organization, members } = await organizationWithMembers(1);
    const member = members[0]!;
    expect(errorCodes(await member.client.request(requestExport, { orgId: organization.id, format: 'CSV' }))).toEqual([
      'FORBIDDEN',
    ]);
    const requested = (await owner.client.data(requestExport, { orgId: organization.id, format: 'CSV' })).exportAuditLogs;
    expect(errorCodes(await member.client.request(exportQuery, { id: requested.id }))).toEqual(['FORBIDDEN']);
  });
});
