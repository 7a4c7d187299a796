import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MediaStorage } from './media-storage.ts';
import { createS3Storage } from './s3-storage.ts';

// s3rver serves the S3 API for real (buckets, objects, presigned query authentication) but
// does not check SigV4 signatures: signature and expiry refusals are tested on the folder
// backend (folder-storage.test.ts). Here: that what the SDK sends, S3 takes.
const bucket = 'media';
const organizationId = randomUUID();
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const uploadKeyOf = (bytes: Buffer | string) => `orgs/${organizationId}/uploads/${sha256(bytes)}`;

let directory: string;
let server: S3rver;
let storage: MediaStorage;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'media-s3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  storage = createS3Storage({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket,
    // s3rver's built-in account.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    publicBaseUrl: 'https://cdn.example.test/media/',
  });
});

afterAll(async () => {
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('the S3 backend against an S3-compatible server', () => {
  test('a presigned PUT stores the bytes; HEAD, a presigned GET and DELETE see them', async () => {
    const bytes = Buffer.from('%PDF-1.7 bytes uploaded straight to the bucket');
    const key = uploadKeyOf(bytes);
    const upload = await storage.presignUpload(key, { contentType: 'application/pdf', byteSize: bytes.length, expiresInSeconds: 600 });
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf' } });

    const stored = await fetch(upload.url, { method: 'PUT', body: bytes, headers: upload.headers });
    expect(stored.status).toBe(200);
    expect(await storage.head(key)).toEqual({ byteSize: bytes.length, contentType: 'application/pdf' });

    const download = await fetch(await storage.presignDownload(key, { expiresInSeconds: 60, filename: 'Résumé.pdf', contentType: 'application/pdf' }));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    // s3rver honours the signed response overrides, as S3 does.
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="R_sum_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`);

    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    expect((await fetch(await storage.presignDownload(key, { expiresInSeconds: 60 }))).status).toBe(404);
    // Deleting what is not there is not an error.
    await storage.delete(key);
  });

  test('an upload URL is signed for its content type and length, and lasts at most 7 days', async () => {
    const upload = await storage.presignUpload(uploadKeyOf('x'), { contentType: 'image/png', byteSize: 1234, expiresInSeconds: 30 * 24 * 3600 });
    const query = new URL(upload.url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host']));
    expect(query.get('X-Amz-Expires')).toBe(String(7 * 24 * 3600));
    // No CRC32 checksum parameters: S3-compatible servers refuse them.
    expect([...query.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
    const lifetime = upload.expiresAt.getTime() - Date.parse(query.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(lifetime).toBe(7 * 24 * 3600 * 1000);
  });

  test('HEAD of a missing object is null', async () => {
    expect(await storage.head(uploadKeyOf('never uploaded'))).toBeNull();
  });

  test('a streamed write reads back as the same bytes; an immutable one is served as immutable', async () => {
    const bytes = Buffer.concat(Array.from({ length: 64 }, (_, index) => Buffer.alloc(4096, index)));
    const key = `orgs/${organizationId}/variants/${sha256(bytes)}.webp`;
    await storage.write(key, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), {
      contentType: 'image/webp',
      byteSize: bytes.length,
      immutable: true,
    });
    expect(await storage.head(key)).toEqual({ byteSize: bytes.length, contentType: 'image/webp' });
    expect((await buffer(await storage.read(key))).equals(bytes)).toBe(true);
    const served = await fetch(await storage.presignDownload(key, { expiresInSeconds: 60 }));
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await served.arrayBuffer();
  });

  test('a buffer write reads back, and is not immutable unless asked', async () => {
    const bytes = Buffer.from('a small document');
    const key = uploadKeyOf(bytes);
    await storage.write(key, bytes, { contentType: 'text/plain', byteSize: bytes.length });
    expect((await buffer(await storage.read(key))).toString()).toBe('a small document');
    const served = await fetch(await storage.presignDownload(key, { expiresInSeconds: 60 }));
    expect(served.headers.get('cache-control')).toBeNull();
    await served.arrayBuffer();
  });

  test('only variants have a public URL', () => {
    const variant = `orgs/${organizationId}/variants/${sha256('v')}.webp`;
    expect(storage.publicUrl(variant)).toBe(`https://cdn.example.test/media/${variant}`);
    expect(storage.publicUrl(uploadKeyOf('u'))).toBeNull();
  });
});
