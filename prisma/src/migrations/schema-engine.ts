import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

export type { SchemaEngine };

let initialised: Promise<void> | undefined;

/** The slice of the WebAssembly global we use (@types/node 20 does not declare it). */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/**
 * Instantiates Prisma's schema engine compiled to WebAssembly, once per process.
 *
 * The npm package is built for bundlers (`import * as wasm from "./x.wasm"`), which
 * plain Node refuses, so we instantiate the module ourselves with the JS glue as its
 * import object. This is what lets `pnpm migrate` run where Prisma's native engine
 * cannot be downloaded (see prisma/README.md).
 */
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bytes = await readFile(join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await webAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bindings,
    });
    const exports = instance.exports as { __wbindgen_start(): void };
    bindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return initialised;
}

/** Opens a schema engine on a database reached through a migration-aware driver adapter. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await initialiseWasm();
  return bindings.SchemaEngine.new(
    { datamodels: undefined },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
