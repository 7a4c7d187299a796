import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { Claims } from '../claims/claims.ts';
import { rateLimitKey, type RateLimitKeyKind } from './rate-limit-key.ts';
import type { RateLimitStore } from './rate-limit-store.ts';
import { RateLimitedError } from './rate-limited-error.ts';
import { parseWindow } from './window.ts';

/** The tightest limit a request touched, reported to the gateway for its response headers. */
export interface RateLimitReport {
  limit: number;
  remaining: number;
  resetSeconds: number;
  windowSeconds: number;
  retryAfterSeconds: number | null;
}

/** What a limited field needs from the request context. */
export interface RateLimitedContext {
  claims: Claims;
  rateLimit: { report: RateLimitReport | null };
}

export interface RateLimitHit {
  field: string;
  limit: number;
  window: string;
  by: RateLimitKeyKind[];
  claims: Claims;
  organizationId: string | null;
  key: string;
}

/**
 * Enforces every `@rateLimit` of a subgraph schema where it must be exact: around the
 * field's resolver, so each resolution counts once, however the operation was written
 * (aliases, repeated fragments, list items, batched requests) and however many gateways
 * sent it. Counting happens before the resolver runs; a denied resolution never runs it.
 * Subscription fields count each subscription started.
 */
export function applyRateLimits(
  schema: GraphQLSchema,
  options: { store: RateLimitStore; onLimited?: (hit: RateLimitHit) => void },
): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const directives = getDirective(schema, field, 'rateLimit') ?? [];
      if (directives.length === 0) return field;
      // A subscription field counts when a client subscribes (its `subscribe`), not once
      // per event (its `resolve`).
      const counted = field.subscribe ? 'subscribe' : 'resolve';
      // Several limits nest, the first outermost: a resolution the first refuses is not
      // counted by the others, so a client held back by one limit does not also use up
      // another's allowance.
      const limited = directives.reduceRight<Resolver>(
        (inner, directive, index) => limitedResolver(`${typeName}.${fieldName}`, directive, index, inner, options),
        (field[counted] ?? defaultFieldResolver) as Resolver,
      );
      return { ...field, [counted]: limited };
    },
  });
}

type Resolver = (parent: unknown, args: Record<string, unknown>, context: RateLimitedContext, info: GraphQLResolveInfo) => unknown;

/** `inner`, run only while the limit one `@rateLimit` sets is not reached. */
function limitedResolver(
  field: string,
  directive: Record<string, unknown>,
  index: number,
  inner: Resolver,
  options: { store: RateLimitStore; onLimited?: (hit: RateLimitHit) => void },
): Resolver {
  const limit = directive.limit as number;
  const window = directive.window as string;
  const by = (directive.by as RateLimitKeyKind[] | undefined) ?? ['GLOBAL'];
  const windowMs = parseWindow(window);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`@rateLimit on ${field}: limit must be a positive whole number`);
  }
  return async (parent, args, context, info) => {
    // The first limit keeps the key it had before fields could have several; the others
    // get their own counters even when they count by the same key parts.
    const key = `${rateLimitKey(by, context.claims, args, parent, info)}${index > 0 ? `#${index}` : ''}`;
    const decision = await options.store.hit(key, limit, windowMs);
    const report: RateLimitReport = {
      limit,
      remaining: decision.remaining,
      resetSeconds: Math.ceil(decision.resetMs / 1000),
      windowSeconds: windowMs / 1000,
      retryAfterSeconds: decision.allowed ? null : Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    };
    context.rateLimit.report = tighter(context.rateLimit.report, report);
    if (!decision.allowed) {
      options.onLimited?.({
        field,
        limit,
        window,
        by,
        claims: context.claims,
        organizationId: typeof args.orgId === 'string' ? args.orgId : null,
        key,
      });
      throw new RateLimitedError(limit, window, report.retryAfterSeconds!);
    }
    return inner(parent, args, context, info);
  };
}

/** The report with fewer uses left (a denial beats any allowance; then the later reset). */
export function tighter(a: RateLimitReport | null, b: RateLimitReport): RateLimitReport {
  if (!a) return b;
  if (a.remaining !== b.remaining) return a.remaining < b.remaining ? a : b;
  if ((a.retryAfterSeconds ?? 0) !== (b.retryAfterSeconds ?? 0)) {
    return (a.retryAfterSeconds ?? 0) > (b.retryAfterSeconds ?? 0) ? a : b;
  }
  return a.resetSeconds >= b.resetSeconds ? a : b;
}
