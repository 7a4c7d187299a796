import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GraphQLClient } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, strongPassword } from '../testkit/seed.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

/**
 * `pnpm start` as a new user runs it: the launcher as its own process, with no
 * DATABASE_URL or REDIS_URL, so on the embedded database and in-memory state.
 */
describe('the quick start (pnpm start with nothing configured)', () => {
  let dataRoot: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let client: GraphQLClient;

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'tnx-quick-start-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'launcher/src/main.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        EMBEDDED_DATA_DIR: join(dataRoot, 'pglite'),
        MAIL_DIR: join(dataRoot, 'mail'),
        MEDIA_DIR: join(dataRoot, 'media'),
        PORT: '0',
        IDENTITY_PORT: '0',
      },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 120_000);
      const poll = setInterval(() => {
        const match = /GraphQL endpoint and GraphiQL \(open it in a browser\): (http:\/\/\S+)/.exec(output);
        if (match) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }, 100);
    });
    client = new GraphQLClient(url);
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  });

  test("prints the endpoint's URL, where a browser finds GraphiQL, and serves the graph on the embedded database", async () => {
    expect(output).toContain('embedded Postgres (PGlite)');
    const user = await signUpUser(client);
    const data = await user.client.data('{ me { id email } }');
    expect(data.me).toEqual({ id: user.id, email: user.email });
  });

  test('runs jobs in-process: an invitation email is written as an .eml file', async () => {
    const owner = await signUpUser(client);
    const organization = await createOrganization(owner, { name: 'Embedded Co' });
    const member = await signUpUser(client);
    await addMember(owner, organization.id, member, 'MEMBER');
    const deadline = Date.now() + 20_000;
    let files: string[] = [];
    while (files.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      files = await readdir(join(dataRoot, 'mail')).then((names) => names.filter((name) => name.endsWith('.eml')), () => []);
    }
    expect(files).toHaveLength(1);
    const eml = await readFile(join(dataRoot, 'mail', files[0]!), 'utf8');
    expect(eml).toContain(`To: ${member.email}`);
    expect(eml).toContain('Embedded Co');
  });

  test("the README's curl session works as written", async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const session = /The same session with `curl`[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const bodies = [...session.matchAll(/-d '([^']+)'/g)].map((match) => JSON.parse(match[1]!) as { query: string });
    expect(bodies).toHaveLength(3);
    const [signUp, create, me] = bodies;
    const token = (await client.data(signUp!.query)).signUp.accessToken as string;
    expect((await client.as(token).data(create!.query)).createOrganization).toMatchObject({ slug: 'acme', viewerRole: 'OWNER' });
    expect((await client.as(token).data(me!.query)).me).toMatchObject({ displayName: 'Ada', memberships: [{ role: 'OWNER' }] });
  });

  test('/health/ready says shared state is in memory, not that a Redis is fine', async () => {
    const response = await fetch(client.url.replace('/graphql', '/health/ready'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', redis: 'in-memory', sessions: 'in-memory' });
  });

  test('accepts an API key on the embedded graph too', async () => {
    const owner = await signUpUser(client);
    const organization = await createOrganization(owner);
    const created = await owner.client.data(
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { orgId: organization.id, name: 'ci', scopes: ['organization:read'] } },
    );
    const read = await client.as(created.createApiKey.secret).data(`query ($id: ID!) { organization(id: $id) { id } }`, { id: organization.id });
    expect(read.organization).toEqual({ id: organization.id });
  });

  test('logs one JSON line per request, with its request id, and never the password', async () => {
    await signUpUser(client, { password: strongPassword });
    await client.request('{ me { id } }', undefined, { 'x-request-id': 'quick-start-log-check' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = lines.find((entry) => entry.requestId === 'quick-start-log-check');
    expect(line).toMatchObject({ service: 'gateway', msg: 'request', method: 'POST', path: '/graphql', status: 200 });
    expect(typeof line!.durationMs).toBe('number');
    expect(output).not.toContain(strongPassword);
  });

  test('stops cleanly on SIGTERM and releases the embedded database', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dataRoot, 'pglite.lock'))).toBe(false);
  });
});
