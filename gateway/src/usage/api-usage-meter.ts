import { randomUUID } from 'node:crypto';
import { anonymousClaims, bucketOf, histogramSize, signedClaimsHeaders, type Logger } from '@token-nexus/shared';
import type { Agent } from 'undici';
import { postToSubgraph } from '../subgraph-response.ts';
import { createBoundedTally } from './bounded-tally.ts';
import { createOperationNames } from './operation-names.ts';
import type { OperationOutcome } from './operation-outcome.ts';

/** How a request's caller proved who they are, as `api.requests` splits it. */
export type ApiCredential = 'user' | 'api_key' | 'oauth_app' | 'workflow';

/** One operation the gateway answered, as the meter records it. */
export interface AnsweredOperation {
  /** The organizations it counts for (none for an anonymous caller); the platform counts every operation. */
  organizations: readonly string[];
  /** Its name as the client sent it; null when it has none. */
  name: string | null;
  durationMs: number;
  outcome: OperationOutcome;
}

/** One organization's (or the platform's) operations of one name in one minute. */
interface OperationMinute {
  /** How many took how long, in the buckets of the shared latency histogram. */
  histogram: number[];
  totalMs: number;
  errors: number;
  failures: number;
}

/** Keys kept between two reports, per tally; beyond, new keys are dropped (and logged). */
const maxCountKeys = 50_000;
const maxOperationKeys = 20_000;
/**
 * Entries per POST: the body stays near 1 MB at worst (a count is ~130 bytes, an
 * operation's minute ~450 with a 100-character name), under analytics' limit of 2 MB.
 */
const countsPerReport = 5_000;
const operationsPerReport = 1_000;
/** Distinct operation names kept per organization, and for the platform, per hour (see createOperationNames). */
const nameLimits = { perOrganization: 50, platform: 200, maxScopes: 10_000 };

function minuteOf(at: number): string {
  return new Date(at - (at % 60_000)).toISOString();
}

function mergeOperationMinutes(into: OperationMinute, from: OperationMinute): OperationMinute {
  for (let index = 0; index < histogramSize; index += 1) into.histogram[index]! += from.histogram[index]!;
  into.totalMs += from.totalMs;
  into.errors += from.errors;
  into.failures += from.failures;
  return into;
}

/**
 * Counts the operations the gateway answers per organization, credential and minute
 * (`api.requests`), and their durations and outcomes per organization, operation name and
 * minute, plus for the whole platform (`api.latency`, `api.errors`, `api.failures`), and
 * reports them to analytics (`POST /internal/api-usage`, signed) every `flushIntervalMs`,
 * in reports of bounded size. Durations travel as counts in the latency histogram's
 * buckets, which add up across minutes, gateways, hours and days. A report that fails is
 * kept and sent with the next one (within the same bounds). What a gateway had counted
 * and not yet reported when it is killed (not stopped) is lost: at most one interval.
 */
export function createApiUsageMeter(options: {
  analyticsUrl: string;
  signingSecret: string;
  agent: Agent;
  logger: Logger;
  flushIntervalMs: number;
}) {
  const url = new URL('/internal/api-usage', options.analyticsUrl).toString();
  const counts = createBoundedTally<number>({ maxKeys: maxCountKeys, merge: (into, from) => into + from });
  const operations = createBoundedTally<OperationMinute>({ maxKeys: maxOperationKeys, merge: mergeOperationMinutes });
  const operationName = createOperationNames(nameLimits);

  const record = (organizationId: string, credential: ApiCredential, at = Date.now()) => {
    counts.add(`${organizationId}|${credential}|${minuteOf(at)}`, 1);
  };

  const recordOperation = (operation: AnsweredOperation, at = Date.now()) => {
    const minute = minuteOf(at);
    const bucket = bucketOf(operation.durationMs);
    for (const scope of [null, ...operation.organizations]) {
      const histogram = new Array<number>(histogramSize).fill(0);
      histogram[bucket] = 1;
      operations.add(`${scope ?? ''}|${operationName(scope, operation.name, at)}|${minute}`, {
        histogram,
        totalMs: operation.durationMs,
        errors: operation.outcome === 'ok' ? 0 : 1,
        failures: operation.outcome === 'failure' ? 1 : 0,
      });
    }
  };

  const send = async (body: string) => {
    const claims = anonymousClaims(randomUUID());
    const response = await postToSubgraph(url, {
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders(options.signingSecret, claims, body) },
      body,
      agent: options.agent,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`analytics answered ${response.status}`);
  };

  const flush = async () => {
    const countEntries = [...counts.take()];
    const operationEntries = [...operations.take()];
    const reports = Math.max(Math.ceil(countEntries.length / countsPerReport), Math.ceil(operationEntries.length / operationsPerReport));
    for (let report = 0; report < reports; report += 1) {
      const countsFrom = report * countsPerReport;
      const operationsFrom = report * operationsPerReport;
      const body = JSON.stringify({
        counts: countEntries.slice(countsFrom, countsFrom + countsPerReport).map(([key, count]) => {
          const [organizationId, credential, minute] = key.split('|');
          return { organizationId, credential, count, minute };
        }),
        operations: operationEntries.slice(operationsFrom, operationsFrom + operationsPerReport).map(([key, tally]) => {
          const [scope, operation, minute] = key.split('|');
          return { organizationId: scope || null, operation, minute, ...tally, totalMs: Math.round(tally.totalMs * 1000) / 1000 };
        }),
      });
      try {
        await send(body);
      } catch (error) {
        // This report and those after it are kept for the next flush, added to what arrives meanwhile.
        counts.restore(countEntries.slice(countsFrom));
        operations.restore(operationEntries.slice(operationsFrom));
        options.logger.warn(
          { err: error, keys: countEntries.length - countsFrom + operationEntries.length - operationsFrom },
          'could not report API usage to analytics; retrying with the next report',
        );
        break;
      }
    }
    const dropped = { counts: counts.takeDropped(), operations: operations.takeDropped() };
    if (dropped.counts > 0 || dropped.operations > 0) {
      options.logger.warn({ dropped }, 'API usage dropped: too many organizations, operations and minutes between two reports');
    }
  };

  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(flush);
  }, options.flushIntervalMs);
  timer.unref();

  return {
    record,
    /** Records an operation's duration and outcome, for the platform and each organization it counts for. */
    recordOperation,
    /** Sends what is counted now (tests, and a stopping gateway). */
    flush: () => (running = running.then(flush)),
    async close() {
      clearInterval(timer);
      await (running = running.then(flush));
    },
  };
}

export type ApiUsageMeter = ReturnType<typeof createApiUsageMeter>;
