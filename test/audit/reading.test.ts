import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

const auditLogs = `query ($orgId: ID!, $filter: AuditFilter, $first: Int, $after: String) {
  auditLogs(orgId: $orgId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { sequence action actorType actorId actor { id displayName } targetType targetId severity changes organization { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** An organization with an owner, an admin and a viewer, and a little history. */
async function organizationWithHistory() {
  const owner = await signUpUser(fixture.graph.client, { displayName: 'Olivia Owner' });
  const admin = await signUpUser(fixture.graph.client);
  const viewer = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  await addMember(owner, organization.id, admin, 'ADMIN');
  await addMember(owner, organization.id, viewer, 'VIEWER');
  await owner.client.data(`mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Renamed Co" }) { id } }`, {
    id: organization.id,
  });
  return { owner, admin, viewer, organization };
}

describe('reading an organization\'s trail', () => {
  test('its OWNER sees every entry newest first, with the actor resolved from identity', async () => {
    const { owner, admin, organization } = await organizationWithHistory();
    const page = (await owner.client.data(auditLogs, { orgId: organization.id })).auditLogs;
    expect(page.edges.map((edge: any) => edge.node.action)).toEqual([
      'organization.updated',
      'member.added',
      'member.added',
      'organization.created',
    ]);
    expect(page.edges.map((edge: any) => edge.node.sequence)).toEqual([4, 3, 2, 1]);
    const created = page.edges[3].node;
    expect(created).toMatchObject({
      actorType: 'USER',
      actorId: owner.id,
      actor: { id: owner.id, displayName: 'Olivia Owner' },
      organization: { id: organization.id, name: 'Renamed Co' },
    });
    expect(page.edges[2].node.targetId).toBe(admin.id);
  });

  test('an ADMIN reads it through Organization.auditLogs too', async () => {
    const { admin, organization } = await organizationWithHistory();
    const data = await admin.client.data(`query ($id: ID!) { organization(id: $id) { name auditLogs(first: 2) { edges { node { action } } } } }`, {
      id: organization.id,
    });
    expect(data.organization.auditLogs.edges.map((edge: any) => edge.node.action)).toEqual([
      'organization.updated',
      'member.added',
    ]);
  });

  test('filters by action prefix, actor, target and time, and pages with cursors', async () => {
    const { owner, viewer, organization } = await organizationWithHistory();
    const byAction = await owner.client.data(auditLogs, { orgId: organization.id, filter: { actionPrefix: 'member.' } });
    expect(byAction.auditLogs.edges).toHaveLength(2);
    const byTarget = await owner.client.data(auditLogs, {
      orgId: organization.id,
      filter: { targetType: 'user', targetId: viewer.id },
    });
    expect(byTarget.auditLogs.edges.map((edge: any) => edge.node.action)).toEqual(['member.added']);
    const byActor = await owner.client.data(auditLogs, { orgId: organization.id, filter: { actorId: viewer.id } });
    expect(byActor.auditLogs.edges).toEqual([]);
    const future = await owner.client.data(auditLogs, {
      orgId: organization.id,
      filter: { from: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(future.auditLogs.edges).toEqual([]);

    const first = (await owner.client.data(auditLogs, { orgId: organization.id, first: 3 })).auditLogs;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await owner.client.data(auditLogs, { orgId: organization.id, first: 3, after: first.pageInfo.endCursor })).auditLogs;
    expect(second.edges.map((edge: any) => edge.node.sequence)).toEqual([1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  test('refuses a page over 100, a bad cursor and a backwards time range', async () => {
    const { owner, organization } = await organizationWithHistory();
    for (const variables of [
      { first: 101 },
      { after: 'garbage' },
      { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
    ]) {
      const response = await owner.client.request(auditLogs, { orgId: organization.id, ...variables });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('who may read it', () => {
  test('MEMBERs and VIEWERs get FORBIDDEN; the refusal is itself recorded', async () => {
    const { owner, viewer, organization } = await organizationWithHistory();
    const refused = await viewer.client.request(auditLogs, { orgId: organization.id });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.data).toBeNull();
    const page = (await owner.client.data(auditLogs, { orgId: organization.id, first: 1 })).auditLogs;
    expect(page.edges[0].node).toMatchObject({ action: 'access.denied', actorId: viewer.id, severity: 'WARNING' });
  });

  test('another organization\'s ADMIN sees nothing of this one', async () => {
    const { organization } = await organizationWithHistory();
    const other = await organizationWithHistory();
    for (const query of [
      [auditLogs, { orgId: organization.id }],
      [`query ($orgId: ID!) { verifyAuditChain(orgId: $orgId) { ok } }`, { orgId: organization.id }],
      [
        `query ($orgId: ID!) { auditReport(orgId: $orgId, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", groupBy: ACTION) { key } }`,
        { orgId: organization.id },
      ],
      [`mutation ($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: CSV) { id } }`, { orgId: organization.id }],
    ] as const) {
      const response = await other.admin.client.request(query[0], query[1]);
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
  });

  test('an anonymous caller gets UNAUTHENTICATED', async () => {
    const { organization } = await organizationWithHistory();
    expect(errorCodes(await fixture.graph.client.request(auditLogs, { orgId: organization.id }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  test('a member who is promoted can read at once, and loses it at once when demoted', async () => {
    const { owner, viewer, organization } = await organizationWithHistory();
    const promote = (role: string) =>
      owner.client.data(`mutation ($o: ID!, $u: ID!, $r: Role!) { updateMemberRole(orgId: $o, userId: $u, role: $r) { role } }`, {
        o: organization.id,
        u: viewer.id,
        r: role,
      });
    await promote('ADMIN');
    expect((await viewer.client.request(auditLogs, { orgId: organization.id })).errors).toBeUndefined();
    await promote('MEMBER');
    expect(errorCodes(await viewer.client.request(auditLogs, { orgId: organization.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('reports and verification', () => {
  test('auditReport counts by action, by actor and by day', async () => {
    const { owner, organization } = await organizationWithHistory();
    const report = (groupBy: string) =>
      owner.client.data(
        `query ($orgId: ID!, $from: DateTime!, $to: DateTime!, $groupBy: AuditGroupBy!) {
          auditReport(orgId: $orgId, from: $from, to: $to, groupBy: $groupBy) { key count actor { id } day }
        }`,
        {
          orgId: organization.id,
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date(Date.now() + 86_400_000).toISOString(),
          groupBy,
        },
      );
    expect((await report('ACTION')).auditReport).toEqual([
      { key: 'member.added', count: 2, actor: null, day: null },
      { key: 'organization.created', count: 1, actor: null, day: null },
      { key: 'organization.updated', count: 1, actor: null, day: null },
    ]);
    expect((await report('ACTOR')).auditReport).toEqual([
      { key: `USER:${owner.id}`, count: 4, actor: { id: owner.id }, day: null },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await report('DAY')).auditReport).toEqual([
      { key: today, count: 4, actor: null, day: `${today}T00:00:00.000Z` },
    ]);
  });

  test('verifyAuditChain confirms an untouched chain', async () => {
    const { owner, organization } = await organizationWithHistory();
    const data = await owner.client.data(`query ($orgId: ID!) { verifyAuditChain(orgId: $orgId) { ok entriesChecked firstBrokenSequence reason } }`, {
      orgId: organization.id,
    });
    expect(data.verifyAuditChain).toEqual({ ok: true, entriesChecked: 4, firstBrokenSequence: null, reason: null });
  });
});

