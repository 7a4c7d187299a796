import { request as httpRequest } from 'node:http';
import type { RunningGateway } from '@token-nexus/gateway';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { productionSecrets, startGatewayAlone } from '../testkit/gateway-alone.ts';
import { expectQueryMissing } from '../testkit/query-missing.ts';

/** What a browser sends when it navigates to a page. */
const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8' };

/** Sends the path exactly as written (fetch would resolve `..` before sending). */
function rawGet(gateway: RunningGateway, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port: gateway.port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function useGateway(env: Record<string, string>): () => RunningGateway {
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    gateway = await startGatewayAlone(env);
  });
  afterAll(async () => {
    await gateway?.close();
  });
  return () => gateway!;
}

describe('EXPLORER=on, the default outside production', () => {
  const gateway = useGateway({});

  test('a browser opening /graphql gets GraphiQL under a same-origin policy, with its script and styles from the gateway', async () => {
    const response = await fetch(gateway().url, { headers: browser });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    const linked = [...html.matchAll(/(?:src|href)="(graphql\/explorer\/[^"]+)"/g)].map((match) => match[1]!);
    expect(linked.map((path) => path.replace(/-[A-Z0-9]{8}\./, '-HASH.')).sort()).toEqual([
      'graphql/explorer/app-HASH.css',
      'graphql/explorer/app-HASH.js',
    ]);
    for (const path of linked) {
      const asset = await fetch(new URL(path, gateway().url));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe(
        path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await asset.arrayBuffer()).byteLength).toBe(Number(asset.headers.get('content-length')));
    }
  });

  test.each(['/graphql/explorer/..%2f..%2fpackage.json', '/graphql/explorer/..%2F..%2F..%2Fpackage.json', '/graphql/explorer/../../package.json'])(
    '%s is refused: assets never come from outside the build directory',
    async (path) => {
      const response = await rawGet(gateway(), path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('"name"');
    },
  );
});

describe('EXPLORER=sandbox', () => {
  const gateway = useGateway({ EXPLORER: 'sandbox' });

  test("a browser gets Apollo's Sandbox page, and GraphiQL's assets are not served", async () => {
    const response = await fetch(gateway().url, { headers: browser });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('embeddable-sandbox');
    expect((await rawGet(gateway(), '/graphql/explorer/app.js')).status).toBe(404);
  });

  test('any other client is told how to send a query', async () => {
    await expectQueryMissing(await fetch(gateway().url));
  });
});

describe('in production', () => {
  const off = useGateway({ NODE_ENV: 'production', ...productionSecrets });
  const on = useGateway({ NODE_ENV: 'production', ...productionSecrets, EXPLORER: 'on' });

  test('there is no explorer unless asked for: a browser is told how to send a query, like any client', async () => {
    expect(off().explorer).toBe('off');
    const response = await fetch(off().url, { headers: browser });
    await expectQueryMissing(response);
    expect((await rawGet(off(), '/graphql/explorer/app.js')).status).toBe(404);
  });

  test('EXPLORER=on serves GraphiQL', async () => {
    const response = await fetch(on().url, { headers: browser });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('GraphiQL');
  });
});
