import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (generate). Migrations are applied by `pnpm migrate`
// (src/cli/migrate.ts), which runs Prisma's schema engine compiled to WebAssembly.
export default defineConfig({
  schema: 'schema',
  migrations: { path: 'migrations' },
});
