import { Prisma } from './generated/client.ts';

/** True when a write failed on a unique constraint (Prisma's P2002). */
export function isUniqueConstraintError(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
