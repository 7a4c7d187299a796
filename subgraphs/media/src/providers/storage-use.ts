import type { MediaStatus, Prisma } from '@token-nexus/prisma';

/**
 * The bytes an organization holds, each distinct file once (uploads are stored by their
 * SHA-256): READY and PROCESSING assets, and PENDING ones whose upload URL still works.
 * Rejected, failed and deleted assets hold nothing. A hash declared with several sizes
 * counts its largest (only one of them can be true, and a declaration is not checked
 * before processing).
 */
export async function storedBytes(db: Prisma.TransactionClient, organizationId: string, now = new Date()): Promise<number> {
  const rows = await db.$queryRaw<{ total: bigint | null }[]>`
    SELECT SUM(byte_size) AS total FROM (
      SELECT DISTINCT ON (sha256) byte_size FROM media.assets
      WHERE organization_id = ${organizationId}::uuid AND deleted_at IS NULL
        AND (status IN ('READY', 'PROCESSING') OR (status = 'PENDING' AND upload_expires_at > ${now}))
      ORDER BY sha256, byte_size DESC
    ) held`;
  return Number(rows[0]?.total ?? 0);
}

/**
 * Whether another asset of the organization than `exceptId`, in one of `statuses`, still
 * needs the uploaded bytes with this SHA-256 (by default any that is not over).
 */
export async function bytesStillNeeded(
  db: Prisma.TransactionClient,
  organizationId: string,
  sha256: string,
  exceptId: string,
  statuses: MediaStatus[] = ['PENDING', 'PROCESSING', 'READY'],
): Promise<boolean> {
  const count = await db.mediaAsset.count({ where: { organizationId, sha256, id: { not: exceptId }, deletedAt: null, status: { in: statuses } } });
  return count > 0;
}
