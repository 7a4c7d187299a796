import { randomUUID } from 'node:crypto';
import { signedClaimsHeaders, type Claims, type Logger } from '@token-nexus/shared';
import type { Agent } from 'undici';
import { postToSubgraph } from '../subgraph-response.ts';

/** How a request's caller proved who they are, as `api.requests` splits it. */
export type ApiCredential = 'user' | 'api_key' | 'oauth_app';

/** Counts kept for one flush at most; beyond, new keys are dropped (and logged) until it. */
const maxKeys = 50_000;

/**
 * Counts the operations the gateway answers per organization, credential and minute, and
 * reports them to analytics (`POST /internal/api-usage`, signed) every `flushIntervalMs`.
 * A report that fails is kept and sent with the next one. What a gateway had counted and
 * not yet reported when it is killed (not stopped) is lost: at most one interval.
 */
export function createApiUsageMeter(options: {
  analyticsUrl: string;
  signingSecret: string;
  agent: Agent;
  logger: Logger;
  flushIntervalMs: number;
}) {
  const url = new URL('/internal/api-usage', options.analyticsUrl).toString();
  let counts = new Map<string, number>();
  let dropped = 0;

  const record = (organizationId: string, credential: ApiCredential, at = Date.now()) => {
    const minute = new Date(at - (at % 60_000)).toISOString();
    const key = `${organizationId}|${credential}|${minute}`;
    const count = counts.get(key);
    if (count === undefined && counts.size >= maxKeys) {
      dropped += 1;
      return;
    }
    counts.set(key, (count ?? 0) + 1);
  };

  const flush = async () => {
    if (counts.size === 0) return;
    const sending = counts;
    counts = new Map();
    const body = JSON.stringify({
      counts: [...sending].map(([key, count]) => {
        const [organizationId, credential, minute] = key.split('|');
        return { organizationId, credential, count, minute };
      }),
    });
    const claims: Claims = { v: 1, actor: { type: 'anonymous' }, requestId: randomUUID(), clientIp: null, userAgent: null };
    try {
      const response = await postToSubgraph(url, {
        headers: { 'content-type': 'application/json', ...signedClaimsHeaders(options.signingSecret, claims, body) },
        body,
        agent: options.agent,
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`analytics answered ${response.status}`);
    } catch (error) {
      // Kept for the next report, added to what arrives meanwhile.
      for (const [key, count] of sending) counts.set(key, (counts.get(key) ?? 0) + count);
      options.logger.warn({ err: error, keys: sending.size }, 'could not report API usage to analytics; retrying with the next report');
    }
    if (dropped > 0) {
      options.logger.warn({ dropped }, 'API usage counts dropped: too many organizations between two reports');
      dropped = 0;
    }
  };

  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(flush);
  }, options.flushIntervalMs);
  timer.unref();

  return {
    record,
    /** Sends what is counted now (tests, and a stopping gateway). */
    flush: () => (running = running.then(flush)),
    async close() {
      clearInterval(timer);
      await (running = running.then(flush));
    },
  };
}

export type ApiUsageMeter = ReturnType<typeof createApiUsageMeter>;
