import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// The whole flow with MEDIA_STORAGE=s3, against s3rver: a real S3-compatible HTTP server
// storing in a folder of this file's. Clients PUT and GET straight to and from the bucket
// through presigned URLs; the graph reads, writes and deletes objects through the S3 API.
// s3rver does not check SigV4 signatures: their refusals are tested on the folder storage
// (media-security.test.ts). On a database of this file's own, so that no graph with
// another storage runs its processing jobs.

/**
 * s3rver, as far as this file uses it. test/ links s3rver but not its type declarations
 * (@types/s3rver is a devDependency of the media subgraph and the benchmarks only).
 */
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const bucket = 'media';
let directory: string;
let s3: S3rverInstance;
let endpoint: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tnx-test-s3rver-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
});
afterAll(async () => {
  await s3?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

const fixture = useTestGraphOnOwnDatabase(() => ({
  MEDIA_STORAGE: 's3',
  S3_ENDPOINT: endpoint,
  S3_REGION: 'us-east-1',
  S3_BUCKET: bucket,
  // s3rver's built-in account.
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
}));

const createUpload = `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) {
  createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders asset { id } }
}`;
const read = `query ($id: ID!) { mediaAsset(id: $id) { id status rejectionReason contentType width height url variants { name width height contentType url } } }`;
const remove = `mutation ($id: ID!) { deleteMediaAsset(id: $id) }`;

interface Asset {
  id: string;
  status: string;
  rejectionReason: string | null;
  contentType: string;
  width: number | null;
  height: number | null;
  url: string | null;
  variants: { name: string; width: number; height: number; contentType: string; url: string }[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The keys of the objects s3rver holds in the bucket under `prefix`, from its folder (`<key>._S3rver_object`). */
async function storedKeys(prefix: string): Promise<string[]> {
  const root = join(directory, bucket);
  const files = await readdir(root, { recursive: true });
  return files
    .filter((file) => file.endsWith('._S3rver_object'))
    .map((file) => file.split(sep).join('/').replace(/\._S3rver_object$/, ''))
    .filter((key) => key.startsWith(prefix))
    .sort();
}

/** Uploads as a client does, straight to the bucket, and waits until processing has settled it. */
async function upload(user: SignedUpUser, orgId: string, bytes: Buffer, declared: { filename: string; contentType: string }): Promise<Asset> {
  const started = (await user.client.data(createUpload, { orgId, input: { ...declared, byteSize: bytes.length, sha256: sha256(bytes) } }))
    .createMediaUpload as { uploadUrl: string; uploadMethod: string; uploadHeaders: Record<string, string>; asset: { id: string } };
  // Not through the gateway: a presigned URL of the bucket, for this organization's key of these bytes.
  expect(started.uploadUrl.startsWith(`${endpoint}/${bucket}/orgs/${orgId}/uploads/${sha256(bytes)}?`)).toBe(true);
  expect(new URL(started.uploadUrl).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  const put = await fetch(started.uploadUrl, { method: started.uploadMethod, headers: started.uploadHeaders, body: bytes });
  expect(put.status, await put.text()).toBe(200);
  expect(await storedKeys(`orgs/${orgId}/uploads/`)).toEqual([`orgs/${orgId}/uploads/${sha256(bytes)}`]);
  await user.client.data(`mutation ($id: ID!) { completeMediaUpload(id: $id) { id } }`, { id: started.asset.id });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const asset = (await user.client.data(read, { id: started.asset.id })).mediaAsset as Asset;
    if (!['PENDING', 'PROCESSING'].includes(asset.status) || Date.now() > deadline) return asset;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function ownerOfNewOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, orgId: organization.id };
}

describe('media on S3-compatible storage, through the gateway', () => {
  test('an image PUT straight to the bucket is READY, its variants download from the bucket, and deleting it removes every object', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 90, b: 160 } } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 8/1 0/1' } })
      .toBuffer();
    const asset = await upload(owner, orgId, photo, { filename: 'harbour.jpg', contentType: 'image/jpeg' });
    expect(asset.rejectionReason).toBeNull();
    expect(asset).toMatchObject({ status: 'READY', contentType: 'image/jpeg', width: 1200, height: 800 });
    expect(asset.variants.map((variant) => [variant.name, variant.width, variant.contentType])).toEqual([
      ['original', 1200, 'image/jpeg'],
      ['thumb', 256, 'image/webp'],
      ['medium', 1024, 'image/webp'],
      ['large', 1200, 'image/webp'],
    ]);

    for (const variant of asset.variants) {
      expect(variant.url.startsWith(`${endpoint}/${bucket}/orgs/${orgId}/variants/`), variant.url).toBe(true);
      const served = await fetch(variant.url);
      expect(served.status, variant.name).toBe(200);
      expect(served.headers.get('content-type')).toBe(variant.contentType);
      const metadata = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
      expect([metadata.width, metadata.height], variant.name).toEqual([variant.width, variant.height]);
      expect(metadata.exif, variant.name).toBeUndefined();
    }
    const original = await fetch(asset.url!);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-disposition')).toBe(`inline; filename="harbour.jpg"; filename*=UTF-8''harbour.jpg`);
    await original.arrayBuffer();
    // The upload held GPS data: once the stripped original exists, it is gone from the bucket.
    const variantKeys = asset.variants.map((variant) => decodeURIComponent(new URL(variant.url).pathname.slice(`/${bucket}/`.length))).sort();
    expect(await storedKeys(`orgs/${orgId}/`)).toEqual(variantKeys);

    expect((await owner.client.data(remove, { id: asset.id })).deleteMediaAsset).toBe(true);
    expect(await storedKeys(`orgs/${orgId}/`)).toEqual([]);
    for (const variant of asset.variants) {
      const gone = await fetch(variant.url);
      expect(gone.status, variant.name).toBe(404);
      await gone.arrayBuffer();
    }
  });

  test('a document is served from the bucket as it was checked, under its filename, until it is deleted', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const document = Buffer.from('%PDF-1.7\n% minutes of the board meeting\n%%EOF\n');
    const asset = await upload(owner, orgId, document, { filename: 'Procès-verbal.pdf', contentType: 'application/pdf' });
    expect(asset).toMatchObject({ status: 'READY', contentType: 'application/pdf', variants: [] });
    const served = await fetch(asset.url!);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(document)).toBe(true);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toBe(`attachment; filename="Proc_s-verbal.pdf"; filename*=UTF-8''Proc%C3%A8s-verbal.pdf`);
    // Served from a copy of the checked bytes; the upload key (which could be uploaded to again) is gone.
    expect(await storedKeys(`orgs/${orgId}/`)).toEqual([`orgs/${orgId}/files/${sha256(document)}`]);
    // The gateway's routes of the embedded storage serve nothing of a bucket.
    const key = decodeURIComponent(new URL(asset.url!).pathname.slice(`/${bucket}/`.length));
    const throughGateway = await fetch(`${new URL(fixture.graph.gateway.url).origin}/media/files/${key}?op=get&expires=9999999999&sig=x`);
    expect(throughGateway.status).toBe(404);
    await throughGateway.arrayBuffer();

    expect((await owner.client.data(remove, { id: asset.id })).deleteMediaAsset).toBe(true);
    expect(await storedKeys(`orgs/${orgId}/`)).toEqual([]);
    const gone = await fetch(asset.url!);
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
  });

  test('bytes that are not what was declared are REJECTED, and deleted from the bucket', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    const asset = await upload(owner, orgId, png, { filename: 'invoice.pdf', contentType: 'application/pdf' });
    expect(asset.status).toBe('REJECTED');
    expect(asset.rejectionReason).toBe('declared application/pdf, but the bytes are image/png');
    expect(asset.url).toBeNull();
    expect(await storedKeys(`orgs/${orgId}/`)).toEqual([]);
  });
});
