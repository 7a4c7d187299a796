import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The `previousHash` of the first entry of every chain. */
export const genesisHash = '0'.repeat(64);

/** Everything an entry's hash covers: all it records, its place in the chain, and its predecessor. */
export interface HashedAuditFields {
  chainKey: string;
  sequence: number;
  organizationId: string | null;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  changes: unknown;
  severity: string;
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  previousHash: string;
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of the entry: key order, spacing and number
 * formatting are fixed, so the same entry always hashes the same, in any language.
 * Changing what is hashed breaks every existing chain: add a new `v` instead.
 */
export function hashAuditEntry(fields: HashedAuditFields): string {
  const canonical = canonicalize({
    v: 1,
    chainKey: fields.chainKey,
    sequence: fields.sequence,
    organizationId: fields.organizationId,
    occurredAt: fields.occurredAt.toISOString(),
    actorType: fields.actorType,
    actorId: fields.actorId,
    action: fields.action,
    targetType: fields.targetType,
    targetId: fields.targetId,
    changes: fields.changes ?? null,
    severity: fields.severity,
    requestId: fields.requestId,
    clientIp: fields.clientIp,
    userAgent: fields.userAgent,
    previousHash: fields.previousHash,
  });
  return createHash('sha256').update(canonical!).digest('hex');
}
