import { beforeAll, expect, test } from 'vitest';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { requestStatements } from '../testkit/graph.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();
let members: SignedUpUser[];
beforeAll(async () => {
  members = await Promise.all(Array.from({ length: 8 }, () => signUpUser(fixture.graph.client)));
});

/** A viewer who belongs to `count` organizations, each with the viewer and 8 other members. */
async function viewerWithOrganizations(count: number): Promise<SignedUpUser> {
  const viewer = await signUpUser(fixture.graph.client);
  for (let start = 0; start < count; start += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, count - start) }, async () => {
        const organization = await createOrganization(viewer);
        for (const member of members) await addMember(viewer, organization.id, member, 'MEMBER');
      }),
    );
  }
  return viewer;
}

const dashboardQuery = `{
  me {
    id displayName
    memberships {
      role
      organization {
        id name slug viewerRole
        members(first: 20) {
          totalCount
          edges { node { role user { id displayName email } } }
        }
      }
    }
  }
}`;

async function statementsFor(viewer: SignedUpUser): Promise<{ statements: number; rows: number }> {
  fixture.graph.statements.length = 0;
  const data = await viewer.client.data(dashboardQuery);
  const rows = data.me.memberships.reduce(
    (sum: number, membership: any) => sum + membership.organization.members.edges.length,
    0,
  );
  // The job workers poll the jobs schema on their own schedule; they are not this query's.
  const statements = requestStatements(fixture.graph);
  return { statements: statements.length, rows };
}

test('the dashboard query costs the same number of SQL statements for 5 or 50 organizations', async () => {
  const small = await statementsFor(await viewerWithOrganizations(5));
  const large = await statementsFor(await viewerWithOrganizations(50));
  expect(small.rows).toBe(5 * 9);
  expect(large.rows).toBe(50 * 9);
  expect(large.statements).toBe(small.statements);
  // me; the memberships with their organizations (and the viewer's roles in them); the
  // pages of members with their users and each organization's member count.
  expect(large.statements).toBe(3);
});
