import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runEntryPoint } from '../testkit/run-entry-point.ts';
import { freePortsEnv } from '../testkit/free-ports.ts';

/**
 * `pnpm start` and `pnpm migrate` as a newcomer meets them when something is in the way:
 * one line that says what to do, never a stack trace.
 */
const repoRoot = new URL('../../', import.meta.url).pathname;
const launcher = 'launcher/src/main.ts';
let folder: string;
let busy: Server;
let busyPort: number;

/** Every port free (0) unless given, on the run's database, quiet. */
function startEnv(overrides: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    DATABASE_URL: inject('databaseUrl'),
    ...freePortsEnv(),
    MAIL_DIR: join(folder, 'mail'),
    ...overrides,
  };
}

function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tnx-start-up-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  busy?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('starting the graph', () => {
  test.each(['PORT', 'IDENTITY_PORT'])('a port in use (%s) stops the start with one line naming the variable to change', async (variable) => {
    const result = await runEntryPoint(launcher, [], startEnv({ [variable]: String(busyPort) }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${busyPort} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain(`set ${variable} to a free port`);
    expectOneLine(result.stderr);
  }, 150_000);

  test('an embedded database in use names the process that holds it', async () => {
    const dataDir = join(folder, 'pglite');
    // The lock of a running process: this test's own.
    await writeFile(`${dataDir}.lock`, String(process.pid));
    const { DATABASE_URL: _none, ...embedded } = startEnv({ EMBEDDED_DATA_DIR: dataDir });
    const result = await runEntryPoint(launcher, [], embedded);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`is in use by process ${process.pid}`);
    expectOneLine(result.stderr);
  }, 150_000);

  test('an unreachable DATABASE_URL says so in one line, with the way to the embedded database', async () => {
    const result = await runEntryPoint(launcher, [], startEnv({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${busyPort}/tokennexus` }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot reach Postgres at DATABASE_URL (127.0.0.1:${busyPort})`);
    expect(result.stderr).toContain('unset DATABASE_URL to use the embedded database');
    expectOneLine(result.stderr);
  }, 150_000);

  test('a database that does not exist yet is created, migrated, and served; SIGTERM stops it saying so', async () => {
    const name = `tnx_new_${process.pid}_${Date.now()}`;
    const url = new URL(inject('adminDatabaseUrl'));
    url.pathname = `/${name}`;
    const child = spawn(process.execPath, ['--import', 'tsx', launcher], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...startEnv({ DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' }) },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    try {
      const deadline = Date.now() + 80_000;
      while (!/GraphQL endpoint/.test(output) && child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain('GraphQL endpoint');
      const tables = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
      expect(tables.rowCount).toBe(1);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(output).toContain('Stopping on SIGTERM');
      expect(output).toMatch(/Stopped in \d+\.\d s\./);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});

describe('pnpm migrate', () => {
  test('a missing database that the role may not create is one line saying what to run', async () => {
    const role = `tnx_nocreate_${process.pid}`;
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    try {
      const url = new URL(inject('adminDatabaseUrl'));
      url.username = role;
      url.pathname = '/tnx_never_created';
      const result = await runEntryPoint('prisma/src/cli/migrate.ts', [], { DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The database "tnx_never_created" does not exist');
      expect(result.stderr).toContain('this role may not create databases');
      expect(result.stderr).toContain('createdb -h');
      expectOneLine(result.stderr);
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  }, 150_000);
});
