import { randomUUID } from 'node:crypto';
import { verifyAuditChain } from '@token-nexus/prisma';
import pg from 'pg';
import { describe, expect, inject, test } from 'vitest';
import type { GraphQLClient } from '../testkit/client.ts';
import { errorCodes } from '../testkit/client.ts';
import { createOrganization, signUpUser, strongPassword, unique } from '../testkit/seed.ts';
import { traced as tracedIn } from '../testkit/traced.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** Sends one operation with its own request id, and returns what the trail recorded for it. */
const traced = (client: GraphQLClient, query: string, variables?: Record<string, unknown>) =>
  tracedIn(fixture.db, client, query, variables);

const signUpMutation = `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id } } }`;
const refreshMutation = `mutation ($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }`;
const createMutation = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`;
const saveDashboard = `mutation ($orgId: ID!, $version: Int) {
  saveDashboardLayout(orgId: $orgId, layouts: {}, widgets: [], version: $version) { version }
}`;

describe('every identity mutation leaves exactly one matching entry', () => {
  test('sign up, log in, refresh, log out, and a failed log in', async () => {
    const email = `audited-${unique()}@example.com`;
    const signUp = await traced(fixture.graph.client, signUpMutation, {
      input: { email, password: strongPassword, displayName: 'Audited' },
    });
    const userId = signUp.response.data!.signUp.user.id;
    expect(signUp.entries).toEqual([
      expect.objectContaining({
        organization_id: null,
        action: 'user.signed_up',
        actor_type: 'USER',
        actor_id: userId,
        target_type: 'user',
        target_id: userId,
        severity: 'INFO',
        changes: { after: { email, displayName: 'Audited' } },
      }),
    ]);

    const logIn = await traced(fixture.graph.client, `mutation ($i: LogInInput!) { logIn(input: $i) { refreshToken } }`, {
      i: { email, password: strongPassword },
    });
    expect(logIn.entries.map((entry) => [entry.action, entry.actor_id])).toEqual([['user.logged_in', userId]]);

    const failed = await traced(fixture.graph.client, `mutation ($i: LogInInput!) { logIn(input: $i) { refreshToken } }`, {
      i: { email, password: 'wrong password entirely' },
    });
    expect(errorCodes(failed.response)).toEqual(['UNAUTHENTICATED']);
    expect(failed.entries).toEqual([
      expect.objectContaining({ action: 'user.login_failed', severity: 'WARNING', actor_type: 'ANONYMOUS', target_id: userId }),
    ]);

    const refresh = await traced(fixture.graph.client, refreshMutation, { t: logIn.response.data!.logIn.refreshToken });
    expect(refresh.entries.map((entry) => entry.action)).toEqual(['session.refreshed']);
    const reuse = await traced(fixture.graph.client, refreshMutation, { t: logIn.response.data!.logIn.refreshToken });
    expect(reuse.entries).toEqual([
      expect.objectContaining({ action: 'session.refresh_token_reused', severity: 'CRITICAL' }),
    ]);

    const logOut = await traced(fixture.graph.client, `mutation ($t: String!) { logOut(refreshToken: $t) }`, {
      t: signUp.response.data!.signUp.refreshToken,
    });
    expect(logOut.entries.map((entry) => [entry.action, entry.actor_id])).toEqual([['session.ended', userId]]);
  });

  test('organization and membership changes, and dashboard saves', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    const slug = `audit-${unique()}`;
    const created = await traced(owner.client, createMutation, { input: { name: 'Audit Co', slug } });
    const orgId = created.response.data!.createOrganization.id;
    expect(created.entries).toEqual([
      expect.objectContaining({
        organization_id: orgId,
        action: 'organization.created',
        actor_id: owner.id,
        target_id: orgId,
        changes: { after: expect.objectContaining({ name: 'Audit Co', slug, owner: owner.id }) },
      }),
    ]);
    const updated = await traced(owner.client, `mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Renamed" }) { id } }`, { id: orgId });
    expect(updated.entries).toEqual([
      expect.objectContaining({ action: 'organization.updated', changes: { before: { name: 'Audit Co' }, after: { name: 'Renamed' } } }),
    ]);
    const added = await traced(owner.client, `mutation ($o: ID!, $e: String!) { addMember(orgId: $o, email: $e, role: VIEWER) { role } }`, {
      o: orgId,
      e: member.email,
    });
    expect(added.entries).toEqual([
      expect.objectContaining({ action: 'member.added', target_id: member.id, changes: { after: { role: 'VIEWER' } } }),
    ]);
    const changed = await traced(owner.client, `mutation ($o: ID!, $u: ID!) { updateMemberRole(orgId: $o, userId: $u, role: ADMIN) { role } }`, {
      o: orgId,
      u: member.id,
    });
    expect(changed.entries).toEqual([
      expect.objectContaining({ action: 'member.role_changed', changes: { before: { role: 'VIEWER' }, after: { role: 'ADMIN' } } }),
    ]);
    const saved = await traced(member.client, saveDashboard, { orgId });
    expect(saved.entries).toEqual([
      expect.objectContaining({ action: 'dashboard.saved', actor_id: member.id, changes: { before: { version: null }, after: { version: 1 } } }),
    ]);
    const removed = await traced(owner.client, `mutation ($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) }`, {
      o: orgId,
      u: member.id,
    });
    expect(removed.entries).toEqual([
      expect.objectContaining({ action: 'member.removed', target_id: member.id, changes: { before: { role: 'ADMIN' } } }),
    ]);
  });
});

describe('a mutation that fails leaves no entry', () => {
  test('failed validation, a taken slug, a stale version and the last owner leave nothing', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await owner.client.data(saveDashboard, { orgId: organization.id });
    const attempts = [
      await traced(fixture.graph.client, signUpMutation, {
        input: { email: `weak-${unique()}@example.com`, password: 'password1', displayName: 'Weak' },
      }),
      await traced(fixture.graph.client, signUpMutation, {
        input: { email: owner.email, password: strongPassword, displayName: 'Duplicate' },
      }),
      await traced(owner.client, createMutation, { input: { name: 'Taken', slug: organization.slug } }),
      await traced(owner.client, saveDashboard, { orgId: organization.id }),
      await traced(owner.client, saveDashboard, { orgId: organization.id, version: 7 }),
      await traced(owner.client, `mutation ($o: ID!, $u: ID!) { removeMember(orgId: $o, userId: $u) }`, {
        o: organization.id,
        u: owner.id,
      }),
    ];
    for (const attempt of attempts) {
      expect(attempt.response.errors).toHaveLength(1);
      expect(attempt.entries).toEqual([]);
    }
  });

  test('a refused attempt is recorded as a security event instead (once a minute per actor)', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const outsider = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const add = `mutation ($o: ID!, $e: String!) { addMember(orgId: $o, email: $e, role: OWNER) { role } }`;
    const first = await traced(outsider.client, add, { o: organization.id, e: outsider.email });
    expect(errorCodes(first.response)).toEqual(['FORBIDDEN']);
    expect(first.entries).toEqual([
      expect.objectContaining({
        organization_id: organization.id,
        action: 'access.denied',
        severity: 'WARNING',
        actor_id: outsider.id,
      }),
    ]);
    const repeated = await traced(outsider.client, add, { o: organization.id, e: outsider.email });
    expect(errorCodes(repeated.response)).toEqual(['FORBIDDEN']);
    expect(repeated.entries).toEqual([]);
  });
});

describe('the trail in the database', () => {
  test('refuses UPDATE, DELETE and TRUNCATE, even from the superuser', async () => {
    const owner = await signUpUser(fixture.graph.client);
    await createOrganization(owner);
    for (const statement of [
      `UPDATE audit.entries SET action = 'tampered' WHERE actor_id = '${owner.id}'`,
      `DELETE FROM audit.entries WHERE actor_id = '${owner.id}'`,
      'TRUNCATE audit.entries',
    ]) {
      await expect(fixture.db.query(statement)).rejects.toThrow(/append-only/);
    }
    const rows = await fixture.db.query('SELECT count(*)::int AS n FROM audit.entries WHERE actor_id = $1', [owner.id]);
    expect(rows.rows[0].n).toBeGreaterThanOrEqual(2);
  });

  test('never holds a password, refresh token or access token', async () => {
    const password = `secret-${randomUUID()}-Zq9`;
    const user = await signUpUser(fixture.graph.client, { password });
    const organization = await createOrganization(user);
    await user.client.request(`mutation ($id: ID!, $s: JSON!) { updateOrganization(id: $id, input: { settings: $s }) { id } }`, {
      id: organization.id,
      s: { webhookSecret: 'whsec_do_not_store', apiKey: 'tnx_key_do_not_store', nested: { password: 'pw_do_not_store' } },
    });
    const refreshed = await fixture.graph.client.data(refreshMutation, { t: user.refreshToken });
    await fixture.graph.client.request(refreshMutation, { t: user.refreshToken });
    const all = await fixture.db.query('SELECT row_to_json(e)::text AS row FROM audit.entries e');
    const trail = all.rows.map((row) => row.row).join('\n');
    for (const secret of [
      password,
      user.refreshToken,
      user.accessToken,
      refreshed.refreshSession.refreshToken,
      'whsec_do_not_store',
      'tnx_key_do_not_store',
      'pw_do_not_store',
    ]) {
      expect(trail).not.toContain(secret);
    }
    const settingsEntry = await fixture.db.query(
      `SELECT changes FROM audit.entries WHERE organization_id = $1 AND action = 'organization.updated'`,
      [organization.id],
    );
    expect(settingsEntry.rows[0].changes.after.settings).toEqual({
      webhookSecret: '[redacted]',
      apiKey: '[redacted]',
      nested: { password: '[redacted]' },
    });
  });
});

describe('the hash chain', () => {
  test('50 concurrent mutations in one organization form a gap-free, correctly linked chain', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        owner.client.request(`mutation ($id: ID!, $s: JSON!) { updateOrganization(id: $id, input: { settings: $s }) { id } }`, {
          id: organization.id,
          s: { round: index },
        }),
      ),
    );
    expect(results.flatMap(errorCodes)).toEqual([]);
    const sequences = await fixture.db.query<{ sequence: number }>(
      'SELECT sequence FROM audit.entries WHERE chain_key = $1 ORDER BY sequence',
      [organization.id],
    );
    expect(sequences.rows.map((row) => row.sequence)).toEqual(Array.from({ length: 51 }, (_, index) => index + 1));
    expect(await verifyAuditChain(fixture.graph.database.prisma, organization.id)).toEqual({
      ok: true,
      entriesChecked: 51,
      firstBrokenSequence: null,
      reason: null,
    });
  });

  test('names the entry a superuser altered, removed or reordered behind the database\'s back', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    for (let round = 0; round < 6; round++) {
      await owner.client.data(`mutation ($id: ID!, $s: JSON!) { updateOrganization(id: $id, input: { settings: $s }) { id } }`, {
        id: organization.id,
        s: { round },
      });
    }
    const tamper = async (sql: string) => {
      const superuser = new pg.Client({ connectionString: inject('databaseUrl') });
      await superuser.connect();
      try {
        // Session-level: switches this connection's triggers off, as an attacker with
        // superuser rights could; other connections keep them.
        await superuser.query('SET session_replication_role = replica');
        await superuser.query(sql, [organization.id]);
      } finally {
        await superuser.end();
      }
    };
    await tamper(`UPDATE audit.entries SET changes = '{"after":{"settings":{"round":99}}}' WHERE chain_key = $1 AND sequence = 4`);
    expect(await verifyAuditChain(fixture.graph.database.prisma, organization.id)).toMatchObject({
      ok: false,
      entriesChecked: 3,
      firstBrokenSequence: 4,
    });
    await tamper(`DELETE FROM audit.entries WHERE chain_key = $1 AND sequence >= 3`);
    expect(await verifyAuditChain(fixture.graph.database.prisma, organization.id)).toMatchObject({
      ok: false,
      firstBrokenSequence: 3,
    });
  });

  test('a swap of two entries is found at the first of them', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    for (let round = 0; round < 3; round++) {
      await owner.client.data(`mutation ($id: ID!, $s: JSON!) { updateOrganization(id: $id, input: { settings: $s }) { id } }`, {
        id: organization.id,
        s: { round },
      });
    }
    const superuser = new pg.Client({ connectionString: inject('databaseUrl') });
    await superuser.connect();
    await superuser.query('SET session_replication_role = replica');
    await superuser.query(
      `UPDATE audit.entries SET sequence = CASE sequence WHEN 2 THEN -3 WHEN 3 THEN -2 END WHERE chain_key = $1 AND sequence IN (2, 3)`,
      [organization.id],
    );
    await superuser.query(`UPDATE audit.entries SET sequence = -sequence WHERE chain_key = $1 AND sequence < 0`, [organization.id]);
    await superuser.end();
    expect(await verifyAuditChain(fixture.graph.database.prisma, organization.id)).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });

  test('writers in different organizations do not wait for each other', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const busy = await createOrganization(owner);
    const free = await createOrganization(owner);
    const holder = new pg.Client({ connectionString: inject('databaseUrl') });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM audit.chain_heads WHERE chain_key = $1 FOR UPDATE', [busy.id]);
    try {
      const update = `mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Moved" }) { name } }`;
      const blocked = owner.client.request(update, { id: busy.id });
      const started = Date.now();
      const other = await owner.client.request(update, { id: free.id });
      expect(other.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
      const raced = await Promise.race([blocked.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 500))]);
      expect(raced).toBe('waiting');
      await holder.query('COMMIT');
      expect((await blocked).errors).toBeUndefined();
    } finally {
      await holder.end();
    }
  });
});
