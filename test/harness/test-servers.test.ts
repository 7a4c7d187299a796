import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, test } from 'vitest';
import { closedPort } from '../testkit/ports.ts';

const execFileAsync = promisify(execFile);
const repoRoot = new URL('../../', import.meta.url).pathname;
const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
/** A unit test file that needs nothing: the run under test fails before it, or passes it. */
const trivialTest = 'subgraphs/shared/src/pagination/connection.test.ts';

/** `vitest run` of one file as a contributor runs `pnpm test`, with exactly `env` (plus what is given). */
async function runTests(env: Record<string, string>, file = trivialTest): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [vitest, 'run', file], {
      cwd: repoRoot,
      env: { HOME: process.env.HOME, ...env },
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe("the test run's servers", () => {
  test('an unreachable TEST_POSTGRES_URL stops the run at once, naming the variable and the way around it', async () => {
    const port = await closedPort();
    const result = await runTests({ PATH: process.env.PATH!, TEST_POSTGRES_URL: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Cannot reach Postgres at TEST_POSTGRES_URL (postgresql://postgres@127.0.0.1:${port}/postgres): connect ECONNREFUSED`);
    expect(result.output).toContain('unset TEST_POSTGRES_URL and the tests start their own');
    expect(result.output).not.toContain('No test files found');
  }, 120_000);

  test('without redis-server on PATH the run stops with how to install it and the variables that bypass it', async () => {
    // PATH holds node only: no redis-server to start.
    const bin = await mkdtemp(join(tmpdir(), 'tnx-path-'));
    await symlink(process.execPath, join(bin, 'node'));
    try {
      const result = await runTests({ PATH: bin, TEST_POSTGRES_URL: inject('adminDatabaseUrl') });
      expect(result.code).toBe(1);
      expect(result.output).toContain("Cannot start the tests' Redis: redis-server is not on PATH");
      expect(result.output).toContain('sudo apt-get install redis-server');
      expect(result.output).toContain('set TEST_POSTGRES_URL and TEST_REDIS_URL to servers you run yourself');
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  }, 120_000);

  test('with the two URLs given, the run uses those servers and starts none', async () => {
    const result = await runTests({ PATH: process.env.PATH!, TEST_POSTGRES_URL: inject('adminDatabaseUrl'), TEST_REDIS_URL: inject('redisUrl') });
    expect(result.output).toContain('Test servers: Postgres at TEST_POSTGRES_URL; Redis at TEST_REDIS_URL');
    expect(result.code).toBe(0);
  }, 120_000);

  test('the run fails when a test fails, and passes when none does, with the servers it started itself', async () => {
    // A test file of the moment (the run that runs this one has already listed its files).
    const file = `test/harness/.tmp-${randomUUID()}.test.ts`;
    const write = (assertion: string) =>
      writeFile(join(repoRoot, file), `import { expect, test } from 'vitest';\ntest('t', () => { ${assertion}; });\n`);
    try {
      await write('expect(1).toBe(2)');
      const failing = await runTests({ PATH: process.env.PATH! }, file);
      expect(failing.output).toContain('Test servers: embedded Postgres 15 started');
      expect(failing.output).toMatch(/Tests .*1 failed/);
      expect(failing.code).toBe(1);
      await write('expect(1).toBe(1)');
      const passing = await runTests({ PATH: process.env.PATH! }, file);
      expect(passing.output).toMatch(/Tests .*1 passed/);
      expect(passing.code).toBe(0);
    } finally {
      await rm(join(repoRoot, file), { force: true });
    }
  }, 120_000);
});
