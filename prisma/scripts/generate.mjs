// Generates the Prisma client into src/generated without network access.
//
// `prisma generate` only checks that a schema-engine binary exists before it runs the
// `prisma-client` generator (which is WebAssembly and never touches that binary). On
// machines that cannot reach Prisma's binary mirror the check would download it and fail,
// so, unless the operator has set PRISMA_SCHEMA_ENGINE_BINARY to a real engine, we point
// it at the WebAssembly schema engine shipped on npm. Nothing executes that file here;
// migrations run through it in src/migrations/schema-engine.ts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const wasmPackage = dirname(require.resolve('@prisma/schema-engine-wasm'));
  env.PRISMA_SCHEMA_ENGINE_BINARY = join(wasmPackage, 'schema_engine_bg.wasm');
}
const prismaCli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: join(here, '..'),
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
