import { createHash } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import type { Claims } from '../claims/claims.ts';

export type RateLimitKeyKind =
  | 'USER'
  | 'ORGANIZATION'
  | 'API_KEY'
  | 'IP'
  | 'GLOBAL'
  | `ARG_${string}`;

/**
 * The counter a use of a limited field goes to: the field, plus the value of each `by`
 * part for this request. Values are hashed, so counters never hold an email or an IP in
 * clear in Redis. The store puts the deployment's key prefix in front.
 */
export function rateLimitKey(
  by: RateLimitKeyKind[],
  claims: Claims,
  args: Record<string, unknown>,
  parent: unknown,
  info: GraphQLResolveInfo,
): string {
  const parts = by.map((kind) => keyPart(kind, claims, args, parent, info));
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
  return `rl:${info.parentType.name}.${info.fieldName}:${digest}`;
}

function keyPart(
  kind: RateLimitKeyKind,
  claims: Claims,
  args: Record<string, unknown>,
  parent: unknown,
  info: GraphQLResolveInfo,
): string {
  const ip = `ip:${claims.clientIp ?? 'unknown'}`;
  switch (kind) {
    case 'GLOBAL':
      return 'global';
    case 'IP':
      return ip;
    // A client (API key, OAuth app) is counted as itself, whichever of the two is asked:
    // programs get their own allowance, separate from the person who created them.
    case 'API_KEY':
    case 'USER':
      if (claims.actor.type === 'client') return `client:${claims.actor.credential.kind}:${claims.actor.credential.id}`;
      return claims.actor.type === 'user' ? `user:${claims.actor.userId}` : ip;
    case 'ORGANIZATION': {
      const fromArgs = args.orgId ?? args.organizationId;
      const fromParent =
        info.parentType.name === 'Organization' ? (parent as { id?: unknown } | null)?.id : undefined;
      return `org:${String(fromArgs ?? fromParent ?? 'none')}`;
    }
    default:
      return `${kind}:${normalise(findArgument(args, kind.slice('ARG_'.length)))}`;
  }
}

/** An argument by name, or a field of that name inside an input-object argument. */
function findArgument(args: Record<string, unknown>, name: string): unknown {
  if (name in args) return args[name];
  for (const value of Object.values(args)) {
    if (value !== null && typeof value === 'object' && name in value) {
      return (value as Record<string, unknown>)[name];
    }
  }
  return undefined;
}

/** Case and surrounding space never make a new counter (`A@x.io ` is `a@x.io`). */
function normalise(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : JSON.stringify(value ?? null);
}
