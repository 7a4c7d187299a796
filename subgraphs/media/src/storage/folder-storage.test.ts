import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { sendJson } from '@token-nexus/shared';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handleFolderRoute } from './folder-route.ts';
import { createFolderStorage } from './folder-storage.ts';
import type { MediaStorage } from './media-storage.ts';

const signingSecret = 'a-signing-secret-for-media-urls-in-tests';
const organizationId = randomUUID();
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const uploadKeyOf = (bytes: Buffer | string) => `orgs/${organizationId}/uploads/${sha256(bytes)}`;
const variantKeyOf = (bytes: Buffer | string, extension: string) => `orgs/${organizationId}/variants/${sha256(bytes)}.${extension}`;

let directory: string;
let server: Server;
let origin: string;
/** The clock both the storage and the route read: tests move it instead of waiting. */
let clock: number;
let storage: MediaStorage;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'media-folder-'));
  clock = Date.now();
  const deps = { directory, signingSecret, maxBytes: 1024 * 1024, now: () => clock };
  server = createServer((request, response) => {
    handleFolderRoute(request, response, deps).then(
      (handled) => handled || sendJson(response, 404, { error: 'not found' }),
      (error: unknown) => sendJson(response, 500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  storage = createFolderStorage({ directory, signingSecret, publicOrigin: () => origin, now: () => clock });
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

/** Every file under the storage folder, sidecars and temporary files included. */
async function storedFiles(): Promise<string[]> {
  return (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

async function put(url: string, body: RequestInit['body'], headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
}

describe('uploads and downloads through signed URLs', () => {
  test('bytes PUT to a presigned upload URL are served to a presigned download, as the signed type and filename', async () => {
    const bytes = Buffer.from('%PDF-1.7 a small document');
    const key = uploadKeyOf(bytes);
    const upload = await storage.presignUpload(key, { contentType: 'application/pdf', byteSize: bytes.length, expiresInSeconds: 600 });
    expect(upload.method).toBe('PUT');
    expect(upload.headers).toEqual({ 'content-type': 'application/pdf' });
    expect(upload.expiresAt.getTime()).toBe((Math.floor(clock / 1000) + 600) * 1000);

    const stored = await put(upload.url, bytes, upload.headers);
    expect(stored.status).toBe(200);
    expect(await storage.head(key)).toEqual({ byteSize: bytes.length, contentType: 'application/pdf' });

    const url = await storage.presignDownload(key, { expiresInSeconds: 60, filename: 'Résumé "final".pdf' });
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('cache-control')).toBe('private, max-age=60');

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
  });

  test('a download of a missing object is 404', async () => {
    const response = await fetch(await storage.presignDownload(uploadKeyOf('never uploaded'), { expiresInSeconds: 60 }));
    expect(response.status).toBe(404);
  });

  test('a URL signed for one key is refused for another, and stores nothing', async () => {
    const bytes = Buffer.from('the bytes of A');
    const upload = await storage.presignUpload(uploadKeyOf(bytes), { contentType: 'text/plain', byteSize: bytes.length, expiresInSeconds: 600 });
    const otherKey = uploadKeyOf('the bytes of B');
    const replayed = await put(upload.url.replace(uploadKeyOf(bytes), otherKey), bytes, upload.headers);
    expect(replayed.status).toBe(403);
    expect(await replayed.json()).toMatchObject({ reason: 'signature' });
    expect(await storage.head(otherKey)).toBeNull();
    expect(await storedFiles()).toEqual([]);
  });

  test('an upload URL cannot download and a download URL cannot upload', async () => {
    const bytes = Buffer.from('some bytes');
    const key = uploadKeyOf(bytes);
    const upload = await storage.presignUpload(key, { contentType: 'text/plain', byteSize: bytes.length, expiresInSeconds: 600 });
    expect((await put(upload.url, bytes, upload.headers)).status).toBe(200);
    expect((await fetch(upload.url)).status).toBe(403);
    const download = await storage.presignDownload(key, { expiresInSeconds: 60 });
    expect((await put(download.replace('op=get', 'op=put'), bytes, upload.headers)).status).toBe(403);
    expect((await put(download, bytes, upload.headers)).status).toBe(403);
  });

  test('a download URL whose filename or type override is altered is refused', async () => {
    const bytes = Buffer.from('<p>not a picture</p>');
    const key = uploadKeyOf(bytes);
    await storage.write(key, bytes, { contentType: 'text/plain', byteSize: bytes.length });
    const url = new URL(await storage.presignDownload(key, { expiresInSeconds: 60, filename: 'note.txt' }));
    url.searchParams.set('type', 'text/html');
    expect((await fetch(url)).status).toBe(403);
    url.searchParams.delete('type');
    url.searchParams.set('filename', 'note.html');
    expect((await fetch(url)).status).toBe(403);
  });

  test('a URL whose expiry was pushed back is refused as not signed', async () => {
    const bytes = Buffer.from('bytes');
    const url = new URL(await storage.presignDownload(uploadKeyOf(bytes), { expiresInSeconds: 60 }));
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ reason: 'signature' });
  });

  test('an expired URL is refused, saying that it expired', async () => {
    const bytes = Buffer.from('a body that arrives too late');
    const upload = await storage.presignUpload(uploadKeyOf(bytes), { contentType: 'text/plain', byteSize: bytes.length, expiresInSeconds: 60 });
    clock += 61_000;
    const response = await put(upload.url, bytes, upload.headers);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; reason: string };
    expect(body.reason).toBe('expired');
    expect(body.error).toMatch(/expired/);
    expect(await storedFiles()).toEqual([]);
  });

  test('a URL lasts at most 7 days', async () => {
    const upload = await storage.presignUpload(uploadKeyOf('x'), { contentType: 'text/plain', byteSize: 1, expiresInSeconds: 30 * 24 * 3600 });
    expect(upload.expiresAt.getTime() - clock).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    expect(upload.expiresAt.getTime() - clock).toBeGreaterThan(7 * 24 * 3600 * 1000 - 1000);
  });
});

describe('what an upload URL accepts', () => {
  test('a body larger than the signed size is refused with 413, and nothing is stored', async () => {
    const bytes = Buffer.from('twelve bytes');
    const upload = await storage.presignUpload(uploadKeyOf(bytes), { contentType: 'text/plain', byteSize: bytes.length, expiresInSeconds: 600 });
    const response = await put(upload.url, Buffer.concat([bytes, Buffer.from(' and more')]), upload.headers);
    expect(response.status).toBe(413);
    expect(await storedFiles()).toEqual([]);
  });

  test('a streamed body without Content-Length is refused with 411, as S3 does, and nothing is stored', async () => {
    const upload = await storage.presignUpload(uploadKeyOf('streamed'), { contentType: 'application/octet-stream', byteSize: 64 * 1024, expiresInSeconds: 600 });
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(16 * 1024, 7));
    const body = Readable.toWeb(Readable.from(chunks)) as ReadableStream<Uint8Array>;
    const response = await put(upload.url, body, upload.headers);
    expect(response.status).toBe(411);
    expect(await storedFiles()).toEqual([]);
  });

  test('an upload whose client goes away mid-body leaves nothing behind', async () => {
    const size = 256 * 1024;
    const upload = await storage.presignUpload(uploadKeyOf('abandoned'), { contentType: 'application/octet-stream', byteSize: size, expiresInSeconds: 600 });
    const sending = httpRequest(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-length': String(size) } });
    sending.on('error', () => undefined);
    sending.write(Buffer.alloc(size / 2));
    // The temporary file exists while the body arrives…
    await vi.waitFor(async () => expect(await storedFiles()).toHaveLength(1));
    sending.destroy();
    // …and is gone once the client is.
    await vi.waitFor(async () => expect(await storedFiles()).toEqual([]));
    expect(await storage.head(uploadKeyOf('abandoned'))).toBeNull();
  });

  test('a body smaller than the signed size is refused with 400, and nothing is stored', async () => {
    const upload = await storage.presignUpload(uploadKeyOf('short'), { contentType: 'text/plain', byteSize: 100, expiresInSeconds: 600 });
    const response = await put(upload.url, 'short', upload.headers);
    expect(response.status).toBe(400);
    expect(await storedFiles()).toEqual([]);
  });

  test('a body of another content type than the signed one is refused with 400', async () => {
    const bytes = Buffer.from('<svg onload="alert(1)"/>');
    const upload = await storage.presignUpload(uploadKeyOf(bytes), { contentType: 'image/png', byteSize: bytes.length, expiresInSeconds: 600 });
    const response = await put(upload.url, bytes, { 'content-type': 'image/svg+xml' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('image/png');
    expect(await storedFiles()).toEqual([]);
  });

  test('an upload above the route’s size limit is refused even with a valid signature', async () => {
    const tooLarge = 2 * 1024 * 1024;
    const upload = await storage.presignUpload(uploadKeyOf('big'), { contentType: 'application/octet-stream', byteSize: tooLarge, expiresInSeconds: 600 });
    const response = await put(upload.url, Buffer.alloc(tooLarge), upload.headers);
    expect(response.status).toBe(413);
    expect(await storedFiles()).toEqual([]);
  });
});

describe('keys', () => {
  test('a key with `..`, an absolute path or another shape is refused by the storage', async () => {
    for (const key of [
      `orgs/${organizationId}/uploads/../../../etc/passwd`,
      '/etc/passwd',
      `orgs/${organizationId}/uploads/${sha256('x')}/..`,
      `orgs/${organizationId}/other/${sha256('x')}`,
      `orgs/${organizationId}/uploads/${sha256('x')}.meta.json`,
    ]) {
      await expect(storage.presignUpload(key, { contentType: 'text/plain', byteSize: 1, expiresInSeconds: 60 })).rejects.toThrow(/Not a media storage key/);
      await expect(storage.write(key, Buffer.from('x'), { contentType: 'text/plain', byteSize: 1 })).rejects.toThrow(/Not a media storage key/);
      await expect(storage.head(key)).rejects.toThrow(/Not a media storage key/);
    }
    expect(await storedFiles()).toEqual([]);
  });

  test('a request path with `..` segments is refused by the route, not resolved', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      // A URL would have its dot segments resolved before sending; a `path` is sent as written.
      const { hostname, port } = new URL(origin);
      const path = `/media/files/orgs/${organizationId}/uploads/../../../../../etc/passwd?op=get`;
      httpRequest({ hostname, port, path }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
  });
});

describe('public variant URLs', () => {
  test('a variant is served at its public URL, immutable and never expiring, but only as the graph signed it', async () => {
    const bytes = Buffer.from('RIFF....WEBPVP8 pretend image');
    const key = variantKeyOf(bytes, 'webp');
    await storage.write(key, Readable.from([bytes]), { contentType: 'image/webp', byteSize: bytes.length, immutable: true });
    const url = storage.publicUrl(key);
    expect(url).toMatch(new RegExp(`^${origin}/media/public/${key}\\?sig=[A-Za-z0-9_-]{43}$`));
    // A member's short-lived URL names the same key; without the public signature it does not outlive its own.
    const unsigned = await fetch(`${origin}/media/public/${key}`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ reason: 'signature' });
    const download = new URL(await storage.presignDownload(key, { expiresInSeconds: 60 }));
    expect((await fetch(`${origin}/media/public/${key}?sig=${download.searchParams.get('sig')}`)).status).toBe(403);
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('etag')).toBe(`"${sha256(bytes)}"`);

    const revalidated = await fetch(url!, { headers: { 'if-none-match': `"${sha256(bytes)}"` } });
    expect(revalidated.status).toBe(304);
    const partial = await fetch(url!, { headers: { range: 'bytes=4-7' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 4-7/${bytes.length}`);
    expect(await partial.text()).toBe('....');
  });

  test('an upload has no public URL, and the public path refuses it even when it exists', async () => {
    const bytes = Buffer.from('an original with GPS data in it');
    const key = uploadKeyOf(bytes);
    await storage.write(key, bytes, { contentType: 'image/jpeg', byteSize: bytes.length });
    expect(storage.publicUrl(key)).toBeNull();
    expect((await fetch(`${origin}/media/public/${key}`)).status).toBe(404);
  });

  test('an SVG is served sandboxed', async () => {
    const bytes = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>');
    const key = variantKeyOf(bytes, 'svg');
    await storage.write(key, bytes, { contentType: 'image/svg+xml', byteSize: bytes.length, immutable: true });
    const response = await fetch(storage.publicUrl(key)!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  });
});

describe('the storage itself', () => {
  test('write, head, read and delete', async () => {
    const bytes = Buffer.from('round trip through the folder');
    const key = uploadKeyOf(bytes);
    expect(await storage.head(key)).toBeNull();
    await storage.write(key, Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), { contentType: 'text/plain', byteSize: bytes.length });
    expect(await storage.head(key)).toEqual({ byteSize: bytes.length, contentType: 'text/plain' });
    expect(await text(await storage.read(key))).toBe(bytes.toString());
    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    await expect(storage.read(key)).rejects.toMatchObject({ code: 'ENOENT' });
    await storage.delete(key);
    expect(await storedFiles()).toEqual([]);
  });

  test('a write whose body is not the declared size stores nothing', async () => {
    const key = uploadKeyOf('declared');
    await expect(storage.write(key, Buffer.from('four'), { contentType: 'text/plain', byteSize: 5 })).rejects.toThrow(/fewer bytes/);
    await expect(storage.write(key, Buffer.from('sixsix'), { contentType: 'text/plain', byteSize: 5 })).rejects.toThrow(/more bytes/);
    expect(await storedFiles()).toEqual([]);
  });
});
