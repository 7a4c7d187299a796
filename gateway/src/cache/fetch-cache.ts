import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { cacheScopeExtension, cacheTagsExtension, type Actor, type CacheTagVersions, type Logger } from '@token-nexus/shared';
import type { AnswerStore, StoredAnswer } from './answer-store.ts';
import type { CacheMetrics } from './cache-metrics.ts';
import { cachePolicyOf } from './cache-policy.ts';
import type { FetchOutcome } from './cache-status.ts';
import type { LocalAnswers } from './local-answers.ts';
import { SingleFlight } from './single-flight.ts';

/** One query fetch the gateway is about to send a subgraph. */
export interface SubgraphFetch {
  subgraph: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  /** Who asks (a user, an API key, an app, or anonymous): private answers are theirs only. */
  actor: Actor;
  /** What the fetch reads (`Query.me`, an entity type), for the metrics. */
  type: string;
}

/** A subgraph's answer, as the gateway's data source returns it. */
export interface SubgraphAnswer {
  data?: unknown;
  errors?: readonly unknown[];
  extensions?: Record<string, unknown>;
  http?: { headers: { get(name: string): string | null } };
}

export interface FetchCacheOptions {
  versions: CacheTagVersions;
  /** The store every gateway shares (Redis); null when the graph runs in one process. */
  shared: AnswerStore | null;
  local: LocalAnswers;
  metrics: CacheMetrics;
  logger: Logger;
  /**
   * Fetches a user's memberships from identity (`membershipsQuery`), as that user: the
   * roles that decide which answers shared within an organization they may be given.
   */
  memberships?: (actor: Extract<Actor, { type: 'user' }>) => Promise<SubgraphAnswer>;
}

/** A user's organizations and roles in them, as the cache reads them (cached like any answer). */
export const membershipsQuery = 'query GatewayCacheMemberships { me { memberships { role organization { id } } } }';

/**
 * The gateway's cache of subgraph query fetches (root fields and entities alike).
 *
 * An answer is cached only when its subgraph's Cache-Control allows it (from the SDL's
 * @cacheControl hints), it has no errors and no rate limit was applied, and it carries
 * its cache tags (what it holds, see cacheTagsPlugin). PUBLIC answers are shared by every
 * caller; PRIVATE ones are keyed by the caller too, so no answer is ever served to anyone
 * else. Every answer is stamped with its tags' versions and served only while they hold:
 * a committed change bumps the tags it touched before its response leaves, so nobody on
 * any gateway reads the old answer after it. An answer fetched while a change to one of
 * its tags was committed is not stored (it might predate the change but carry its
 * versions); changes to other tags do not keep it out.
 *
 * Identical fetches in flight for the same caller are sent once. When the shared store
 * cannot be reached, the cache steps aside: fetches go to the subgraphs as if it were off.
 */
export class FetchCache {
  /** Whether answers of a fetch shape came PUBLIC last time: where to look first. */
  private readonly publicShapes = new LRUCache<string, true>({ max: 10_000 });
  /** Fetch shapes whose answers came shared within an organization last time, and which one. */
  private readonly organizationShapes = new LRUCache<string, string>({ max: 10_000 });
  private readonly inFlight = new SingleFlight<SubgraphAnswer>();
  private reachable = true;

  constructor(private readonly options: FetchCacheOptions) {}

  async fetch(request: SubgraphFetch, fetchFromSubgraph: () => Promise<SubgraphAnswer>): Promise<{ answer: SubgraphAnswer; outcome: FetchOutcome }> {
    const shape = shapeKey(request);
    const actorKey = JSON.stringify(request.actor);
    let key: string;
    let hit: StoredAnswer | null;
    try {
      key = await this.keyFor(shape, request.actor, actorKey);
      hit = await this.lookup(key);
      this.reachable = true;
    } catch (error) {
      this.stepAside(error);
      this.options.metrics.count(request.subgraph, request.type, 'bypass');
      return { answer: await fetchFromSubgraph(), outcome: { kind: 'bypass' } };
    }
    if (hit) {
      this.options.metrics.count(request.subgraph, request.type, 'hit');
      const ttlSeconds = Math.max(0, Math.floor((hit.expiresAt - Date.now()) / 1000));
      const scope = key === shape ? 'PUBLIC' : 'PRIVATE';
      return { answer: JSON.parse(hit.json) as SubgraphAnswer, outcome: { kind: 'hit', ttlSeconds, scope } };
    }
    let stored = false;
    const { value, shared } = await this.inFlight.run(privateKey(shape, actorKey), async () => {
      const fetched = await this.fetchAndStore(request, shape, actorKey, fetchFromSubgraph);
      stored = fetched.stored;
      return fetched.answer;
    });
    this.options.metrics.count(request.subgraph, request.type, stored || shared ? 'miss' : 'uncacheable');
    // Every reader gets its own copy: the gateway merges later fetches into what it receives.
    const answer = shared ? { ...structuredClone({ data: value.data, errors: value.errors, extensions: value.extensions }), http: value.http } : value;
    return { answer, outcome: { kind: 'miss', stored, collapsed: shared } };
  }

  /** A fresh answer whose tags' versions all still hold, local first, then shared. */
  private async lookup(key: string): Promise<StoredAnswer | null> {
    const local = this.options.local.get(key);
    const answer = local ?? (await this.options.shared?.get(key)) ?? null;
    if (!answer || answer.expiresAt <= Date.now()) return null;
    const current = await this.options.versions.read(answer.tags);
    if (current.some((version, index) => version !== answer.versions[index])) {
      if (local) this.options.local.delete(key);
      return null;
    }
    if (!local) this.options.local.set(key, answer);
    return answer;
  }

  /**
   * Where the answer to this fetch would be: shared by everyone (PUBLIC), shared by the
   * organization's members with the caller's role, or the caller's own.
   */
  private async keyFor(shape: string, actor: Actor, actorKey: string): Promise<string> {
    if (this.publicShapes.has(shape)) return shape;
    const organizationId = this.organizationShapes.get(shape);
    const role = organizationId ? await this.roleOf(actor, organizationId) : null;
    return role ? organizationKey(shape, organizationId!, role) : privateKey(shape, actorKey);
  }

  /**
   * The caller's role in an organization, from their memberships (cached, and invalidated
   * with them). Null for anyone but a member, a system admin included: they get answers
   * of their own.
   */
  private async roleOf(actor: Actor, organizationId: string): Promise<string | null> {
    if (actor.type !== 'user' || actor.delegation || !this.options.memberships) return null;
    const user = actor;
    const { answer } = await this.fetch(
      { subgraph: 'identity', query: membershipsQuery, variables: undefined, actor: user, type: 'Query.me' },
      () => this.options.memberships!(user),
    );
    const memberships = (answer.data as { me?: { memberships?: { role: string; organization: { id: string } }[] } } | undefined)?.me?.memberships;
    return memberships?.find((membership) => membership.organization.id === organizationId)?.role ?? null;
  }

  private async fetchAndStore(
    request: SubgraphFetch,
    shape: string,
    actorKey: string,
    fetchFromSubgraph: () => Promise<SubgraphAnswer>,
  ): Promise<{ answer: SubgraphAnswer; stored: boolean }> {
    const { versions } = this.options;
    const epochBefore = await versions.epoch().catch(() => null);
    const answer = await fetchFromSubgraph();
    const tags = answer.extensions?.[cacheTagsExtension];
    const sharing = answer.extensions?.[cacheScopeExtension] as { organizationId?: unknown } | undefined;
    if (answer.extensions) {
      delete answer.extensions[cacheTagsExtension];
      delete answer.extensions[cacheScopeExtension];
    }
    const policy = cachePolicyOf(answer.http?.headers.get('cache-control'));
    const cacheable = policy && epochBefore !== null && !answer.errors?.length && !answer.extensions?.rateLimit && Array.isArray(tags);
    if (!cacheable) return { answer, stored: false };
    if (policy.scope === 'PUBLIC') this.publicShapes.set(shape, true);
    else this.publicShapes.delete(shape);
    try {
      // Not stored if a change to what it holds committed while it was being fetched.
      const stamp = await versions.stampUnchangedSince(epochBefore, tags as string[]);
      if (!stamp) return { answer, stored: false };
      const entry: StoredAnswer = {
        json: JSON.stringify({ data: answer.data }),
        tags: tags as string[],
        versions: stamp,
        expiresAt: Date.now() + policy.maxAgeSeconds * 1000,
      };
      const key = await this.storeKey(shape, policy.scope, sharing?.organizationId, request.actor, actorKey);
      this.options.local.set(key, entry);
      await this.options.shared?.set(key, entry);
      return { answer, stored: true };
    } catch (error) {
      this.stepAside(error);
      return { answer, stored: false };
    }
  }

  /** Where a fetched answer goes: see keyFor. Whether a shape is shared is learnt here. */
  private async storeKey(shape: string, scope: 'PUBLIC' | 'PRIVATE', organizationId: unknown, actor: Actor, actorKey: string): Promise<string> {
    if (scope === 'PUBLIC') return shape;
    const role = typeof organizationId === 'string' ? await this.roleOf(actor, organizationId) : null;
    if (!role) {
      if (typeof organizationId !== 'string') this.organizationShapes.delete(shape);
      return privateKey(shape, actorKey);
    }
    this.organizationShapes.set(shape, organizationId as string);
    return organizationKey(shape, organizationId as string, role);
  }

  private stepAside(error: unknown): void {
    if (this.reachable) this.options.logger.warn({ err: error }, 'the cache store is unreachable; fetching without the cache');
    this.reachable = false;
  }
}

/** The fetch itself: which subgraph, what operation, with which variables. */
function shapeKey(request: SubgraphFetch): string {
  return createHash('sha256')
    .update(request.subgraph)
    .update('\u0000')
    .update(request.query)
    .update('\u0000')
    .update(JSON.stringify(request.variables ?? {}))
    .digest('base64url');
}

function privateKey(shape: string, actorKey: string): string {
  return `${shape}:${createHash('sha256').update(actorKey).digest('base64url').slice(0, 22)}`;
}

function organizationKey(shape: string, organizationId: string, role: string): string {
  return `${shape}:org:${organizationId}:${role}`;
}
