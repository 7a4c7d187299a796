import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const summary = `query ($orgId: ID!, $name: String!, $range: TimeRangeInput!, $dimension: String) {
  metricSummary(orgId: $orgId, name: $name, range: $range, dimension: $dimension) {
    metric { name unit aggregation } value previousValue change changeRatio breakdown { key value previousValue }
  }
}`;

/** Polls a metric's value over the last day until `expected` (the ingester runs in the background). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('members', () => {
  test('a member joining moves members.joined and members.count', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const read = async (name: string) =>
      (await owner.client.data(summary, { orgId: organization.id, name, range: { last: '1d' } })).metricSummary.value as number;
    expect(await eventually(() => read('members.count'), (value) => value === 1)).toBe(1);
    await addMember(owner, organization.id, await signUpUser(fixture.graph.client), 'MEMBER');
    expect(await eventually(() => read('members.count'), (value) => value === 2)).toBe(2);
    expect(await read('members.joined')).toBe(2);
  });

  test("another organization's metrics are FORBIDDEN", async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const stranger = await signUpUser(fixture.graph.client);
    const response = await stranger.client.request(summary, { orgId: organization.id, name: 'members.count', range: { last: '1d' } });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });
});
