import type { PrismaClient } from '../generated/client.ts';
import { genesisHash, hashAuditEntry } from './audit-hash.ts';

export interface ChainVerification {
  ok: boolean;
  entriesChecked: number;
  /** The first sequence number at which the chain is not what was written, if any. */
  firstBrokenSequence: number | null;
  /** Why that entry breaks the chain. */
  reason: string | null;
}

const batchSize = 1_000;

/**
 * Walks a chain from its first entry, recomputing every hash. It finds an entry altered
 * behind the database's back (its hash no longer matches), removed (a gap in the
 * numbering, or a head pointing past the last entry), or reordered (an entry no longer
 * links to the hash of the one before it). Reads in batches, so memory stays flat
 * however long the chain.
 */
export async function verifyAuditChain(
  prisma: PrismaClient,
  chainKey: string,
): Promise<ChainVerification> {
  let expectedSequence = 1;
  let previousHash = genesisHash;
  let checked = 0;
  const broken = (sequence: number, reason: string): ChainVerification => ({
    ok: false,
    entriesChecked: checked,
    firstBrokenSequence: sequence,
    reason,
  });
  for (;;) {
    const batch = await prisma.auditEntry.findMany({
      where: { chainKey, sequence: { gte: expectedSequence } },
      orderBy: { sequence: 'asc' },
      take: batchSize,
    });
    for (const entry of batch) {
      if (entry.sequence !== expectedSequence) {
        return broken(expectedSequence, `entry ${expectedSequence} is missing`);
      }
      if (entry.previousHash !== previousHash) {
        return broken(entry.sequence, 'it does not link to the entry before it');
      }
      if (hashAuditEntry(entry) !== entry.hash) {
        return broken(entry.sequence, 'its content does not match its hash');
      }
      checked++;
      previousHash = entry.hash;
      expectedSequence++;
    }
    if (batch.length < batchSize) break;
  }
  const head = await prisma.auditChainHead.findUnique({ where: { chainKey } });
  const lastSequence = expectedSequence - 1;
  if ((head?.lastSequence ?? 0) !== lastSequence || (head && head.lastHash !== previousHash)) {
    return broken(lastSequence + 1, `entries after ${lastSequence} are missing`);
  }
  return { ok: true, entriesChecked: checked, firstBrokenSequence: null, reason: null };
}
