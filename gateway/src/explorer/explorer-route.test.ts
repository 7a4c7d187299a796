import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, createLogger } from '@token-nexus/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRequestListener } from '../http/router.ts';
import { explorerRoutes } from './explorer-route.ts';

/** A raw request: the path goes out exactly as written (fetch would resolve `..`). */
function get(server: Server, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

async function serve(distDir: string): Promise<Server> {
  const listener = createRequestListener({
    routes: explorerRoutes({ distDir }),
    logger: createLogger('test', 'silent'),
    corsOrigins: [],
    production: false,
  });
  const server = createServer(listener.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let root: string;
let built: Server;
let unbuilt: Server;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tnx-explorer-route-'));
  const dist = join(root, 'dist');
  await mkdir(dist);
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>GraphiQL</title>');
  await writeFile(join(dist, 'app-4QZ2KX7M.js'), 'console.log("app")');
  await writeFile(join(dist, 'app-4QZ2KX7M.css'), 'body{}');
  await writeFile(join(dist, 'codicon-37A3DWZT.ttf'), 'font');
  await writeFile(join(root, 'secret.txt'), 'the secret beside dist');
  built = await serve(dist);
  unbuilt = await serve(join(root, 'never-built'));
});
afterAll(async () => {
  await Promise.all([built, unbuilt].filter(Boolean).map((server) => closeServer(server)));
  await rm(root, { recursive: true, force: true });
});

describe('the explorer page', () => {
  test('a browser opening /graphql gets the page, revalidated, under a same-origin policy', async () => {
    const response = await get(built, '/graphql', browser);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>GraphiQL</title>');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/https?:|\*/);
  });

  test('a client asking for JSON is not given the page (the GraphQL route answers it)', async () => {
    const response = await get(built, '/graphql', { accept: 'application/json' });
    expect(response.status).toBe(404);
  });

  test('without a build, the page says which command makes it', async () => {
    const response = await get(unbuilt, '/graphql', browser);
    expect(response.status).toBe(503);
    expect(response.body).toContain('pnpm explorer:build');
  });
});

describe('the explorer assets', () => {
  test.each([
    ['app-4QZ2KX7M.js', 'text/javascript; charset=utf-8'],
    ['app-4QZ2KX7M.css', 'text/css; charset=utf-8'],
    ['codicon-37A3DWZT.ttf', 'font/ttf'],
  ])('%s is served as %s and cached for good (its name changes with its content)', async (file, type) => {
    const response = await get(built, `/graphql/explorer/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  test('HEAD answers the headers without the body', async () => {
    const response = await get(built, '/graphql/explorer/app-4QZ2KX7M.js', {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String('console.log("app")'.length));
    expect(response.body).toBe('');
  });

  test.each([
    '/graphql/explorer/..%2fsecret.txt',
    '/graphql/explorer/..%2F..%2Fdist%2F..%2Fsecret.txt',
    '/graphql/explorer/%2e%2e%2fsecret.txt',
    '/graphql/explorer/..%5csecret.txt',
    '/graphql/explorer/../../secret.txt',
    '/graphql/explorer/%2e%2e/secret.txt',
  ])('%s does not leave the build directory', async (path) => {
    const response = await get(built, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('the secret');
  });

  test('an unknown file is 404, and a POST is refused', async () => {
    expect((await get(built, '/graphql/explorer/app-AAAAAAAA.js')).status).toBe(404);
    expect((await get(built, '/graphql/explorer/app-4QZ2KX7M.js', {}, 'POST')).status).toBe(405);
  });
});
