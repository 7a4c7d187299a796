import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, developmentSecrets, histogramBounds, histogramSize, verifySignedRequest } from '@token-nexus/shared';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApiUsageMeter, type AnsweredOperation, type ApiUsageMeter } from './api-usage-meter.ts';

interface OperationEntry {
  organizationId: string | null;
  operation: string;
  minute: string;
  histogram: number[];
  totalMs: number;
  errors: number;
  failures: number;
}

interface Report {
  counts: { organizationId: string; credential: string; count: number; minute: string }[];
  operations: OperationEntry[];
}

const orgA = '0195f1c2-0000-7000-8000-00000000000a';
const orgB = '0195f1c2-0000-7000-8000-00000000000b';
const at = Date.parse('2026-12-01T10:15:20.000Z');
const minute = '2026-12-01T10:15:00.000Z';

/** A stand-in for analytics' route: it checks the gateway's signature and keeps each report, or answers `status`. */
let analytics: Server;
let reports: Report[];
let status: number;
let agent: Agent;
let meter: ApiUsageMeter;

beforeEach(async () => {
  reports = [];
  status = 200;
  analytics = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!verifySignedRequest(developmentSecrets.gatewaySigning, request, body).ok) {
        response.writeHead(401).end();
        return;
      }
      if (status === 200) reports.push(JSON.parse(body.toString('utf8')) as Report);
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => analytics.listen(0, '127.0.0.1', resolve));
  agent = new Agent();
  meter = createApiUsageMeter({
    analyticsUrl: `http://127.0.0.1:${(analytics.address() as AddressInfo).port}/graphql`,
    signingSecret: developmentSecrets.gatewaySigning,
    agent,
    logger: createLogger('test', 'silent'),
    flushIntervalMs: 3_600_000,
  });
});

afterEach(async () => {
  await meter.close();
  await agent.close();
  await new Promise((resolve) => analytics.close(resolve));
});

function operation(name: string | null, durationMs: number, overrides: Partial<AnsweredOperation> = {}): AnsweredOperation {
  return { organizations: [orgA], name, durationMs, outcome: 'ok', ...overrides };
}

/** Every operation entry reported so far, as `scope|operation` → entry (scope `platform` for null). */
function reportedOperations(): Map<string, OperationEntry> {
  return new Map(reports.flatMap((report) => report.operations).map((entry) => [`${entry.organizationId ?? 'platform'}|${entry.operation}`, entry]));
}

function bucketsOf(durations: number[]): number[] {
  const histogram = new Array<number>(histogramSize).fill(0);
  for (const ms of durations) {
    const index = histogramBounds.findIndex((bound) => ms <= bound);
    histogram[index === -1 ? histogramSize - 1 : index]! += 1;
  }
  return histogram;
}

describe('the API usage meter', () => {
  test("reports operations per organization, name and minute in the latency histogram's buckets, and each one for the platform", async () => {
    meter.recordOperation(operation('Dashboard', 4), at);
    meter.recordOperation(operation('Dashboard', 180, { outcome: 'error' }), at + 1_000);
    meter.recordOperation(operation('Dashboard', 900, { outcome: 'failure', organizations: [orgA, orgB] }), at + 2_000);
    // An anonymous caller counts for no organization, only for the platform.
    meter.recordOperation(operation('SignIn', 30, { organizations: [] }), at);
    await meter.flush();
    expect(reports).toHaveLength(1);
    const entries = reportedOperations();
    expect(entries.get(`${orgA}|Dashboard`)).toEqual({
      organizationId: orgA,
      operation: 'Dashboard',
      minute,
      histogram: bucketsOf([4, 180, 900]),
      totalMs: 1084,
      errors: 2,
      failures: 1,
    });
    expect(entries.get(`${orgB}|Dashboard`)).toMatchObject({ histogram: bucketsOf([900]), errors: 1, failures: 1 });
    expect(entries.get('platform|Dashboard')).toMatchObject({ histogram: bucketsOf([4, 180, 900]), errors: 2, failures: 1 });
    expect(entries.get('platform|SignIn')).toMatchObject({ histogram: bucketsOf([30]), errors: 0, failures: 0 });
    expect([...entries.keys()].sort()).toEqual([`${orgA}|Dashboard`, `${orgB}|Dashboard`, 'platform|Dashboard', 'platform|SignIn']);
  });

  test("names unnamed operations anonymous, and folds the names past an organization's first 50 of an hour into other until the next hour", async () => {
    for (let name = 0; name < 52; name += 1) meter.recordOperation(operation(`Operation${name}`, 10), at);
    meter.recordOperation(operation(null, 10), at);
    meter.recordOperation(operation('Operation0', 10), at);
    await meter.flush();
    const entries = reportedOperations();
    const ofOrgA = [...entries.values()].filter((entry) => entry.organizationId === orgA);
    expect(ofOrgA.map((entry) => entry.operation).sort()).toEqual(
      [...Array.from({ length: 50 }, (_, name) => `Operation${name}`), 'anonymous', 'other'].sort(),
    );
    expect(entries.get(`${orgA}|other`)!.histogram.reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(entries.get(`${orgA}|Operation0`)!.histogram.reduce((sum, count) => sum + count, 0)).toBe(2);
    // The platform keeps 200 names: all 52 are its own.
    expect(entries.has('platform|Operation51')).toBe(true);

    meter.recordOperation(operation('Operation51', 10), at + 3_600_000);
    await meter.flush();
    expect(reports.at(-1)!.operations.map((entry) => [entry.organizationId, entry.operation])).toEqual([
      [null, 'Operation51'],
      [orgA, 'Operation51'],
    ]);
  });

  test('keeps a report analytics did not take and sends it, added to what came since, with the next', async () => {
    status = 503;
    meter.record(orgA, 'user', at);
    meter.recordOperation(operation('Dashboard', 12), at);
    await meter.flush();
    expect(reports).toEqual([]);
    status = 200;
    meter.record(orgA, 'user', at);
    meter.recordOperation(operation('Dashboard', 40, { outcome: 'error' }), at);
    await meter.flush();
    expect(reports[0]!.counts).toEqual([{ organizationId: orgA, credential: 'user', count: 2, minute }]);
    expect(reportedOperations().get(`${orgA}|Dashboard`)).toMatchObject({ histogram: bucketsOf([12, 40]), totalMs: 52, errors: 1 });
  });

  test('splits what it has into reports of at most 1,000 operation entries', async () => {
    // Each organization's operation is an entry of its own; the platform's are all one.
    for (let org = 0; org < 1_200; org += 1) {
      const organizationId = `0195f1c2-0000-7000-8000-${org.toString().padStart(12, '0')}`;
      meter.recordOperation(operation('Dashboard', 5, { organizations: [organizationId] }), at);
    }
    await meter.flush();
    expect(reports.map((report) => report.operations.length)).toEqual([1_000, 201]);
    expect(reportedOperations().get('platform|Dashboard')!.histogram.reduce((sum, count) => sum + count, 0)).toBe(1_200);
  });
});
