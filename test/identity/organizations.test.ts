import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { addMember, createOrganization, signUpUser, unique } from '../testkit/seed.ts';

const fixture = useTestGraph();

const organizationQuery = `query ($id: ID, $slug: String) {
  organization(id: $id, slug: $slug) {
    id name slug active settings viewerRole
    parent { id } children { id slug }
    members { totalCount edges { node { role user { id email displayName } } } }
  }
}`;
const createMutation = `mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id slug viewerRole settings }
}`;
const updateRole = `mutation ($orgId: ID!, $userId: ID!, $role: Role!) {
  updateMemberRole(orgId: $orgId, userId: $userId, role: $role) { role user { id } }
}`;
const removeMember = `mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`;

async function roleOf(orgId: string, userId: string): Promise<string | null> {
  const result = await fixture.db.query(
    'SELECT role FROM identity.memberships WHERE organization_id = $1 AND user_id = $2',
    [orgId, userId],
  );
  return result.rows[0]?.role ?? null;
}

describe('creating organizations', () => {
  test('makes the creator its OWNER and shows it by id and by slug', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const slug = `acme-${unique()}`;
    const created = (
      await owner.client.data(createMutation, {
        input: { name: 'Acme', slug, settings: { theme: 'dark' } },
      })
    ).createOrganization;
    expect(created).toMatchObject({ slug, viewerRole: 'OWNER', settings: { theme: 'dark' } });
    const byId = (await owner.client.data(organizationQuery, { id: created.id })).organization;
    const bySlug = (await owner.client.data(organizationQuery, { slug })).organization;
    expect(bySlug.id).toBe(byId.id);
    expect(byId.members.totalCount).toBe(1);
    expect(byId.members.edges[0].node).toMatchObject({ role: 'OWNER', user: { id: owner.id } });
  });

  test('refuses a taken slug with CONFLICT and leaves no second organization or membership', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const other = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const response = await other.client.request(createMutation, {
      input: { name: 'Copycat', slug: organization.slug },
    });
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    const rows = await fixture.db.query('SELECT count(*)::int AS n FROM identity.memberships WHERE user_id = $1', [other.id]);
    expect(rows.rows[0].n).toBe(0);
    const orgs = await fixture.db.query('SELECT count(*)::int AS n FROM identity.organizations WHERE name = $1', ['Copycat']);
    expect(orgs.rows[0].n).toBe(0);
  });

  test.each([
    ['an uppercase slug', { name: 'X', slug: 'Acme-Corp' }, 'input.slug'],
    ['a too-short slug', { name: 'X', slug: 'ab' }, 'input.slug'],
    ['a double hyphen', { name: 'X', slug: 'acme--corp' }, 'input.slug'],
    ['an empty name', { name: '   ', slug: 'fine-slug-123' }, 'input.name'],
    ['settings that are not an object', { name: 'X', slug: 'fine-slug-456', settings: [1, 2] }, 'input.settings'],
    ['a malformed parent id', { name: 'X', slug: 'fine-slug-789', parentId: 'nope' }, 'input.parentId'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, input, field) => {
    const owner = await signUpUser(fixture.graph.client);
    const response = await owner.client.request(createMutation, { input });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
  });

  test('requires a signed-in user', async () => {
    const response = await fixture.graph.client.request(createMutation, {
      input: { name: 'Anon', slug: `anon-${unique()}` },
    });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('a child organization needs a manager of the parent, and links both ways', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const outsider = await signUpUser(fixture.graph.client);
    const parent = await createOrganization(owner);
    const refused = await outsider.client.request(createMutation, {
      input: { name: 'Child', slug: `child-${unique()}`, parentId: parent.id },
    });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const child = await createOrganization(owner, { parentId: parent.id });
    const view = (await owner.client.data(organizationQuery, { id: parent.id })).organization;
    expect(view.children).toEqual([{ id: child.id, slug: child.slug }]);
    const childView = (await owner.client.data(organizationQuery, { id: child.id })).organization;
    expect(childView.parent).toEqual({ id: parent.id });
  });
});

describe('who sees an organization', () => {
  test('a signed-in non-member gets FORBIDDEN and no data', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const outsider = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    for (const variables of [{ id: organization.id }, { slug: organization.slug }]) {
      const response = await outsider.client.request(organizationQuery, variables);
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
      expect(response.data?.organization).toBeNull();
    }
  });

  test('an anonymous caller gets UNAUTHENTICATED', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const response = await fixture.graph.client.request(organizationQuery, { id: organization.id });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('an organization that does not exist is null', async () => {
    const user = await signUpUser(fixture.graph.client);
    const response = await user.client.request(organizationQuery, {
      id: '00000000-0000-7000-8000-000000000000',
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.organization).toBeNull();
  });

  test('children you are not a member of are hidden, and so is a parent you are not in', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const childOwner = await signUpUser(fixture.graph.client);
    const parent = await createOrganization(owner);
    const child = await createOrganization(owner, { parentId: parent.id });
    await addMember(owner, child.id, childOwner, 'OWNER');
    await owner.client.data(removeMember, { orgId: child.id, userId: owner.id });
    expect((await owner.client.data(organizationQuery, { id: parent.id })).organization.children).toEqual([]);
    expect((await childOwner.client.data(organizationQuery, { id: child.id })).organization.parent).toBeNull();
  });

  test('a user sees another user\'s memberships only in organizations they share', async () => {
    const alice = await signUpUser(fixture.graph.client);
    const bob = await signUpUser(fixture.graph.client);
    const shared = await createOrganization(alice);
    await createOrganization(bob);
    await addMember(alice, shared.id, bob, 'MEMBER');
    const query = `query ($id: ID!) { organization(id: $id) { members { edges { node { user { id memberships { organization { id } } } } } } } }`;
    const data = await alice.client.data(query, { id: shared.id });
    const bobNode = data.organization.members.edges.find((edge: any) => edge.node.user.id === bob.id).node;
    expect(bobNode.user.memberships).toEqual([{ organization: { id: shared.id } }]);
    const own = await bob.client.data(`{ me { memberships { organization { id } } } }`);
    expect(own.me.memberships).toHaveLength(2);
  });
});

describe('managing members', () => {
  test('an OWNER adds, promotes and removes a member', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const added = await owner.client.data(
      `mutation ($orgId: ID!, $email: String!) { addMember(orgId: $orgId, email: $email, role: VIEWER) { role user { id } organization { id } } }`,
      { orgId: organization.id, email: member.email.toUpperCase() },
    );
    expect(added.addMember).toEqual({ role: 'VIEWER', user: { id: member.id }, organization: { id: organization.id } });
    const promoted = await owner.client.data(updateRole, { orgId: organization.id, userId: member.id, role: 'ADMIN' });
    expect(promoted.updateMemberRole.role).toBe('ADMIN');
    expect(await roleOf(organization.id, member.id)).toBe('ADMIN');
    expect((await owner.client.data(removeMember, { orgId: organization.id, userId: member.id })).removeMember).toBe(true);
    expect(await roleOf(organization.id, member.id)).toBeNull();
  });

  test('adding someone twice is a CONFLICT; an unknown email is NOT_FOUND', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, member, 'MEMBER');
    const add = `mutation ($orgId: ID!, $email: String!) { addMember(orgId: $orgId, email: $email, role: ADMIN) { role } }`;
    expect(errorCodes(await owner.client.request(add, { orgId: organization.id, email: member.email }))).toEqual(['CONFLICT']);
    expect(await roleOf(organization.id, member.id)).toBe('MEMBER');
    expect(
      errorCodes(await owner.client.request(add, { orgId: organization.id, email: `ghost-${unique()}@example.com` })),
    ).toEqual(['NOT_FOUND']);
  });

  test('MEMBER and VIEWER cannot manage members; ADMIN cannot grant or touch OWNER', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const admin = await signUpUser(fixture.graph.client);
    const viewer = await signUpUser(fixture.graph.client);
    const newcomer = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, admin, 'ADMIN');
    await addMember(owner, organization.id, viewer, 'VIEWER');
    const add = `mutation ($orgId: ID!, $email: String!, $role: Role!) { addMember(orgId: $orgId, email: $email, role: $role) { role } }`;

    const byViewer = await viewer.client.request(add, { orgId: organization.id, email: newcomer.email, role: 'MEMBER' });
    expect(errorCodes(byViewer)).toEqual(['FORBIDDEN']);
    const ownerByAdmin = await admin.client.request(add, { orgId: organization.id, email: newcomer.email, role: 'OWNER' });
    expect(errorCodes(ownerByAdmin)).toEqual(['FORBIDDEN']);
    const demoteOwner = await admin.client.request(updateRole, { orgId: organization.id, userId: owner.id, role: 'MEMBER' });
    expect(errorCodes(demoteOwner)).toEqual(['FORBIDDEN']);
    const removeOwner = await admin.client.request(removeMember, { orgId: organization.id, userId: owner.id });
    expect(errorCodes(removeOwner)).toEqual(['FORBIDDEN']);
    expect(await roleOf(organization.id, owner.id)).toBe('OWNER');
    expect(await roleOf(organization.id, newcomer.id)).toBeNull();

    const memberByAdmin = await admin.client.request(add, { orgId: organization.id, email: newcomer.email, role: 'MEMBER' });
    expect(memberByAdmin.errors).toBeUndefined();
  });

  test('a member may leave on their own', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const viewer = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, viewer, 'VIEWER');
    expect((await viewer.client.data(removeMember, { orgId: organization.id, userId: viewer.id })).removeMember).toBe(true);
    expect(errorCodes(await viewer.client.request(organizationQuery, { id: organization.id }))).toEqual(['FORBIDDEN']);
  });

  test('the last OWNER can be neither demoted nor removed (CONFLICT), even by themself', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const demote = await owner.client.request(updateRole, { orgId: organization.id, userId: owner.id, role: 'ADMIN' });
    expect(errorCodes(demote)).toEqual(['CONFLICT']);
    const leave = await owner.client.request(removeMember, { orgId: organization.id, userId: owner.id });
    expect(errorCodes(leave)).toEqual(['CONFLICT']);
    expect(await roleOf(organization.id, owner.id)).toBe('OWNER');
  });

  test('two OWNERs demoting each other at once leave exactly one OWNER', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await signUpUser(fixture.graph.client);
      const second = await signUpUser(fixture.graph.client);
      const organization = await createOrganization(first);
      await addMember(first, organization.id, second, 'OWNER');
      const results = await Promise.all([
        first.client.request(updateRole, { orgId: organization.id, userId: second.id, role: 'MEMBER' }),
        second.client.request(updateRole, { orgId: organization.id, userId: first.id, role: 'MEMBER' }),
      ]);
      const owners = await fixture.db.query(
        `SELECT count(*)::int AS n FROM identity.memberships WHERE organization_id = $1 AND role = 'OWNER'`,
        [organization.id],
      );
      expect(owners.rows[0].n).toBe(1);
      expect(results.filter((result) => !result.errors)).toHaveLength(1);
      expect(results.flatMap(errorCodes)).toEqual([expect.stringMatching(/^(CONFLICT|FORBIDDEN)$/)]);
    }
  });

  test('changing the role of someone who is not a member is NOT_FOUND', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const stranger = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const response = await owner.client.request(updateRole, { orgId: organization.id, userId: stranger.id, role: 'ADMIN' });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });
});

describe('paging through members', () => {
  test('pages follow joined order with opaque cursors, and never overlap', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const others = await Promise.all(Array.from({ length: 4 }, () => signUpUser(fixture.graph.client)));
    for (const other of others) await addMember(owner, organization.id, other, 'MEMBER');
    const query = `query ($id: ID!, $after: String) {
      organization(id: $id) { members(first: 2, after: $after) {
        totalCount edges { cursor node { user { id } } } pageInfo { hasNextPage hasPreviousPage endCursor }
      } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = (await owner.client.data(query, { id: organization.id, after })).organization.members;
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((edge: any) => edge.node.user.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([owner.id, ...others.map((other) => other.id)]);
  });

  test('a page larger than 100, a negative size or a forged cursor is BAD_USER_INPUT', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const query = `query ($id: ID!, $first: Int, $after: String) { organization(id: $id) { members(first: $first, after: $after) { totalCount } } }`;
    for (const variables of [{ first: 101 }, { first: -1 }, { after: 'bm90IGEgY3Vyc29y' }, { after: '!!!' }]) {
      const response = await owner.client.request(query, { id: organization.id, ...variables });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    const atLimit = await owner.client.request(query, { id: organization.id, first: 100 });
    expect(atLimit.errors).toBeUndefined();
  });
});

describe('updating an organization', () => {
  test('an ADMIN renames it and changes settings; a MEMBER cannot', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const admin = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    await addMember(owner, organization.id, admin, 'ADMIN');
    await addMember(owner, organization.id, member, 'MEMBER');
    const update = `mutation ($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { name settings active } }`;
    const updated = await admin.client.data(update, {
      id: organization.id,
      input: { name: 'Renamed', settings: { locale: 'fr' }, active: false },
    });
    expect(updated.updateOrganization).toEqual({ name: 'Renamed', settings: { locale: 'fr' }, active: false });
    const refused = await member.client.request(update, { id: organization.id, input: { name: 'Mine now' } });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const rows = await fixture.db.query('SELECT name FROM identity.organizations WHERE id = $1', [organization.id]);
    expect(rows.rows[0].name).toBe('Renamed');
  });
});
