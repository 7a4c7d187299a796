import { describe, expect, inject, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { runEntryPoint } from '../testkit/run-entry-point.ts';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/** Runs the operator command as its own process, as an operator would. */
function grantSystemAdmin(...args: string[]) {
  return runEntryPoint('subgraphs/identity/src/cli/grant-system-admin.ts', args, {
    DATABASE_URL: inject('databaseUrl'),
  });
}

describe('a SYSTEM_ADMIN', () => {
  test('sees and manages organizations they are not a member of, until the role is revoked', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const operator = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const query = `query ($id: ID!) { organization(id: $id) { id viewerRole members { totalCount } } }`;
    expect(errorCodes(await operator.client.request(query, { id: organization.id }))).toEqual(['FORBIDDEN']);

    const granted = await grantSystemAdmin(operator.email);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('is now a SYSTEM_ADMIN');
    expect((await operator.client.data('{ me { isSystemAdmin } }')).me.isSystemAdmin).toBe(true);
    const seen = await operator.client.data(query, { id: organization.id });
    expect(seen.organization).toEqual({ id: organization.id, viewerRole: null, members: { totalCount: 1 } });
    const rename = `mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Audited" }) { name } }`;
    expect((await operator.client.data(rename, { id: organization.id })).updateOrganization.name).toBe('Audited');

    await grantSystemAdmin(operator.email, '--revoke');
    expect(errorCodes(await operator.client.request(query, { id: organization.id }))).toEqual(['FORBIDDEN']);
  });

  test('cannot be granted to an email nobody has', async () => {
    const failure = await grantSystemAdmin('nobody-at-all@example.com');
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('No user has the email');
  });
});
