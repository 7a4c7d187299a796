import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { SignedUpUser } from './seed.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A tiny PNG, different on every call (so that no two uploads are the same bytes). */
export async function png(): Promise<Buffer> {
  const colour = { r: Math.floor(Math.random() * 256), g: Math.floor(Math.random() * 256), b: Math.floor(Math.random() * 256) };
  return sharp({ create: { width: 12, height: 8, channels: 3, background: colour } }).png().toBuffer();
}

/** Starts an upload and nothing more: the asset stays PENDING. */
export async function startUpload(user: SignedUpUser, orgId: string, bytes: Buffer, declared = { filename: 'picture.png', contentType: 'image/png' }) {
  const data = await user.client.data(
    `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) {
      createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders asset { id } }
    }`,
    { orgId, input: { ...declared, byteSize: bytes.length, sha256: sha256(bytes) } },
  );
  return data.createMediaUpload as { uploadUrl: string; uploadMethod: string; uploadHeaders: Record<string, string>; asset: { id: string } };
}

/**
 * Uploads a tiny PNG as a client does (ask, PUT to storage, complete) and waits until it is
 * READY. Processing runs on the job runner of any graph on the database: use it from a
 * file whose graph has a database of its own (useTestGraphOnOwnDatabase).
 */
export async function readyImage(user: SignedUpUser, orgId: string): Promise<{ id: string }> {
  const bytes = await png();
  const started = await startUpload(user, orgId, bytes);
  const put = await fetch(started.uploadUrl, { method: started.uploadMethod, headers: started.uploadHeaders, body: bytes });
  expect(put.status, await put.clone().text()).toBeLessThan(300);
  await user.client.data(`mutation ($id: ID!) { completeMediaUpload(id: $id) { id } }`, { id: started.asset.id });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { mediaAsset } = await user.client.data(`query ($id: ID!) { mediaAsset(id: $id) { id status } }`, { id: started.asset.id });
    if (!['PENDING', 'PROCESSING'].includes(mediaAsset.status) || Date.now() > deadline) {
      expect(mediaAsset.status).toBe('READY');
      return { id: mediaAsset.id };
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
