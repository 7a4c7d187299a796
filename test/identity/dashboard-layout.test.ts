import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';

const fixture = useTestGraph();

const save = `mutation ($orgId: ID!, $layouts: JSON!, $widgets: JSON!, $version: Int) {
  saveDashboardLayout(orgId: $orgId, layouts: $layouts, widgets: $widgets, version: $version) {
    orgId layouts widgets version updatedAt
  }
}`;
const load = `query ($orgId: ID!) { dashboardLayout(orgId: $orgId) { orgId layouts widgets version } }`;

const widgets = [
  { id: 'tokens', type: 'token-supply', title: 'Supply', config: { chart: 'line' } },
  { id: 'members', type: 'member-count' },
];
const layouts = {
  lg: [
    { i: 'tokens', x: 0, y: 0, w: 8, h: 4 },
    { i: 'members', x: 8, y: 0, w: 4, h: 2, static: true },
  ],
  sm: [{ i: 'tokens', x: 0, y: 0, w: 4, h: 4 }],
};

async function memberOfNewOrganization(): Promise<{ user: SignedUpUser; orgId: string }> {
  const user = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(user);
  return { user, orgId: organization.id };
}

async function storedVersion(orgId: string, userId: string): Promise<number | null> {
  const rows = await fixture.db.query(
    'SELECT version FROM identity.dashboard_layouts WHERE organization_id = $1 AND user_id = $2',
    [orgId, userId],
  );
  return rows.rows[0]?.version ?? null;
}

describe('saving a dashboard layout', () => {
  test('the first save creates version 1; each save with the current version adds one', async () => {
    const { user, orgId } = await memberOfNewOrganization();
    expect((await user.client.data(load, { orgId })).dashboardLayout).toBeNull();
    const first = (await user.client.data(save, { orgId, layouts, widgets })).saveDashboardLayout;
    expect(first).toMatchObject({ orgId, version: 1, layouts, widgets });
    const moved = { ...layouts, lg: [{ ...layouts.lg[0], x: 2 }, layouts.lg[1]] };
    const second = (await user.client.data(save, { orgId, layouts: moved, widgets, version: 1 })).saveDashboardLayout;
    expect(second.version).toBe(2);
    expect((await user.client.data(load, { orgId })).dashboardLayout).toMatchObject({ version: 2, layouts: moved });
  });

  test('saving with a stale version is a CONFLICT that names the current version and changes nothing', async () => {
    const { user, orgId } = await memberOfNewOrganization();
    await user.client.data(save, { orgId, layouts, widgets });
    await user.client.data(save, { orgId, layouts, widgets: [...widgets], version: 1 });
    const stale = await user.client.request(save, { orgId, layouts: {}, widgets: [], version: 1 });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions!.currentVersion).toBe(2);
    const stored = (await user.client.data(load, { orgId })).dashboardLayout;
    expect(stored).toMatchObject({ version: 2, layouts, widgets });
  });

  test('a save without a version never overwrites an existing layout', async () => {
    const { user, orgId } = await memberOfNewOrganization();
    await user.client.data(save, { orgId, layouts, widgets });
    const response = await user.client.request(save, { orgId, layouts: {}, widgets: [] });
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect((await user.client.data(load, { orgId })).dashboardLayout.widgets).toEqual(widgets);
  });

  test('of concurrent saves from the same version exactly one wins', async () => {
    const { user, orgId } = await memberOfNewOrganization();
    await user.client.data(save, { orgId, layouts, widgets });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        user.client.request(save, {
          orgId,
          layouts,
          widgets: [...widgets, { id: `w${index}`, type: 'note' }],
          version: 1,
        }),
      ),
    );
    expect(attempts.filter((attempt) => !attempt.errors)).toHaveLength(1);
    expect(attempts.flatMap(errorCodes)).toEqual(Array(5).fill('CONFLICT'));
    expect(await storedVersion(orgId, user.id)).toBe(2);
  });

  test('each member has their own layout', async () => {
    const { user: owner, orgId } = await memberOfNewOrganization();
    const viewer = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, viewer, 'VIEWER');
    await owner.client.data(save, { orgId, layouts, widgets });
    expect((await viewer.client.data(load, { orgId })).dashboardLayout).toBeNull();
    const own = await viewer.client.data(save, { orgId, layouts: {}, widgets: [] });
    expect(own.saveDashboardLayout.version).toBe(1);
    expect((await owner.client.data(load, { orgId })).dashboardLayout.widgets).toEqual(widgets);
  });

  test.each([
    ['layouts that are not an object', { layouts: [1], widgets }, 'layouts'],
    ['a grid item with a negative x', { layouts: { lg: [{ i: 'tokens', x: -1, y: 0, w: 1, h: 1 }] }, widgets }, 'layouts.lg[0].x'],
    ['a grid item with an unknown key', { layouts: { lg: [{ i: 'tokens', x: 0, y: 0, w: 1, h: 1, evil: true }] }, widgets }, 'layouts.lg[0]'],
    ['a grid item placing a missing widget', { layouts: { lg: [{ i: 'nope', x: 0, y: 0, w: 1, h: 1 }] }, widgets }, 'layouts.lg[0].i'],
    ['a widget without a type', { layouts: {}, widgets: [{ id: 'a' }] }, 'widgets[0].type'],
    ['duplicate widget ids', { layouts: {}, widgets: [{ id: 'a', type: 'x' }, { id: 'a', type: 'y' }] }, 'widgets[1].id'],
    ['a zero version', { layouts, widgets, version: 0 }, 'version'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and stores nothing', async (_case, input, field) => {
    const { user, orgId } = await memberOfNewOrganization();
    const response = await user.client.request(save, { orgId, ...input });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await storedVersion(orgId, user.id)).toBeNull();
  });

  test('refuses an oversized dashboard', async () => {
    const { user, orgId } = await memberOfNewOrganization();
    const big = [{ id: 'big', type: 'note', config: { text: 'x'.repeat(300 * 1024) } }];
    const response = await user.client.request(save, { orgId, layouts: {}, widgets: big });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await storedVersion(orgId, user.id)).toBeNull();
  });

  test('a non-member gets FORBIDDEN when saving or reading', async () => {
    const { orgId } = await memberOfNewOrganization();
    const outsider = await signUpUser(fixture.graph.client);
    expect(errorCodes(await outsider.client.request(save, { orgId, layouts, widgets }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await outsider.client.request(load, { orgId }))).toEqual(['FORBIDDEN']);
    expect(await storedVersion(orgId, outsider.id)).toBeNull();
  });

  test('leaving an organization deletes your layout there', async () => {
    const { user: owner, orgId } = await memberOfNewOrganization();
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, member, 'MEMBER');
    await member.client.data(save, { orgId, layouts, widgets });
    await member.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, {
      orgId,
      userId: member.id,
    });
    expect(await storedVersion(orgId, member.id)).toBeNull();
  });
});
