export { openDatabase, type Database, type DatabaseOptions, type DatabaseTarget } from './database.ts';
export { PrismaClient, Prisma } from './generated/client.ts';
export type * from './generated/client.ts';
export { isUniqueConstraintError } from './errors.ts';
export { diffMigrationsAgainstSchema, type SchemaDiff } from './migrations/schema-diff.ts';
export { paths as prismaPaths } from './migrations/migration-files.ts';
export * from './audit/index.ts';
export * from './jobs/index.ts';
export * from './outbox/record-webhook-event.ts';
