import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const repoRoot = new URL('../../', import.meta.url).pathname;

test('the resolver types are generated from the current schema.graphql files (run `pnpm codegen`)', async () => {
  const codegen = new URL('../../node_modules/.bin/graphql-codegen', import.meta.url).pathname;
  const result = await run(codegen, ['--config', 'codegen.ts', '--check'], { cwd: repoRoot }).then(
    () => 0,
    (error: { code: number }) => error.code,
  );
  expect(result).toBe(0);
});
