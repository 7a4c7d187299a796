import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// On a database of this file's own: every graph on a database runs the processing jobs
// queued there, and another file's graph would look for these uploads in its own folder
// (and find nothing: REJECTED, "nothing was uploaded").
const fixture = useTestGraphOnOwnDatabase();

const assetFields = `id filename contentType kind byteSize sha256 status rejectionReason width height
  variants { name width height contentType byteSize url } url`;
const createUpload = `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) {
  createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders expiresAt alreadyStored assetId asset { id status } }
}`;
const complete = `mutation ($id: ID!) { completeMediaUpload(id: $id) { id status } }`;
const read = `query ($id: ID!) { mediaAsset(id: $id) { ${assetFields} } }`;

interface Asset {
  id: string;
  status: string;
  rejectionReason: string | null;
  width: number | null;
  height: number | null;
  variants: { name: string; width: number; height: number; url: string }[];
  url: string | null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Uploads bytes as a client does: ask, PUT straight to storage, complete; then waits until processed. */
async function upload(user: SignedUpUser, orgId: string, bytes: Buffer, declared: { filename: string; contentType: string }): Promise<Asset> {
  const started = (await user.client.data(createUpload, {
    orgId,
    input: { ...declared, byteSize: bytes.length, sha256: sha256(bytes) },
  })).createMediaUpload as { uploadUrl: string; uploadMethod: string; uploadHeaders: Record<string, string>; assetId: string; asset: { id: string; status: string } };
  expect(started.asset).toEqual({ id: started.assetId, status: 'PENDING' });
  const put = await fetch(started.uploadUrl, { method: started.uploadMethod, headers: started.uploadHeaders, body: bytes });
  expect(put.status, await put.clone().text()).toBeLessThan(300);
  await user.client.data(complete, { id: started.asset.id });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const asset = (await user.client.data(read, { id: started.asset.id })).mediaAsset as Asset;
    if (!['PENDING', 'PROCESSING'].includes(asset.status) || Date.now() > deadline) return asset;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('an image upload on the embedded storage', () => {
  test('is oriented, stripped of its GPS data and given WebP variants, all served by the gateway', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const photo = await sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 8/1 0/1' } })
      .toBuffer();
    expect(await sharp(photo).metadata()).toMatchObject({ orientation: 6, exif: expect.any(Buffer) });
    const asset = await upload(owner, organization.id, photo, { filename: '../holiday/photo.jpg', contentType: 'image/jpeg' });
    expect(asset.rejectionReason).toBeNull();
    expect(asset.status).toBe('READY');
    // Orientation 6 turns it a quarter: 600 × 300 as stored is 300 × 600 as seen.
    expect([asset.width, asset.height]).toEqual([300, 600]);
    expect(asset.variants.map((variant) => variant.name)).toEqual(['original', 'thumb', 'medium', 'large']);
    const original = Buffer.from(await (await fetch(asset.url!)).arrayBuffer());
    const metadata = await sharp(original).metadata();
    expect([metadata.width, metadata.height]).toEqual([300, 600]);
    expect(metadata.exif).toBeUndefined();
    const thumb = await fetch(asset.variants.find((variant) => variant.name === 'thumb')!.url);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).height).toBeLessThanOrEqual(256);
  });

  test('is REJECTED when its bytes are not what was declared (PNG bytes as a PDF)', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const organization = await createOrganization(owner);
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    const asset = await upload(owner, organization.id, png, { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(asset.status).toBe('REJECTED');
    expect(asset.rejectionReason).toMatch(/application\/pdf.*image\/png/);
    expect(asset.url).toBeNull();
  });
});
