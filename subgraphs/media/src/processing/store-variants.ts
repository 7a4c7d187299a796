import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { MediaStorage } from '../storage/media-storage.ts';
import type { MadeVariant } from './image-variants.ts';
import { variantKey, type ProducedVariant } from './process-upload.ts';

/**
 * Writes the variants made on disk to storage, each at the key named by the SHA-256 of
 * its own bytes (so its URL can be cached forever: other bytes get another URL), marked
 * immutable. Variants with the same bytes (`medium` and `large` of an image smaller than
 * 1024 pixels) are written once. Files are streamed, both to hash and to store.
 *
 * Nothing is written before every variant is made, so a rejected image leaves nothing
 * behind. A storage error is thrown; writing again is harmless (same bytes, same key).
 */
export async function storeVariants(storage: MediaStorage, organizationId: string, made: MadeVariant[]): Promise<ProducedVariant[]> {
  const produced: ProducedVariant[] = [];
  const written = new Set<string>();
  for (const variant of made) {
    const [sha256, { size: byteSize }] = await Promise.all([sha256OfFile(variant.path), stat(variant.path)]);
    const storageKey = variantKey(organizationId, sha256, variant.extension);
    if (!written.has(storageKey)) {
      const body = createReadStream(variant.path);
      try {
        await storage.write(storageKey, body, { contentType: variant.contentType, byteSize, immutable: true });
      } finally {
        body.destroy();
      }
      written.add(storageKey);
    }
    const { name, width, height, contentType } = variant;
    produced.push({ name, width, height, contentType, byteSize, storageKey });
  }
  return produced;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
