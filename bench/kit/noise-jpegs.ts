import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { mapConcurrently } from './concurrency.ts';

/** A JPEG made for a run, and the SHA-256 createMediaUpload declares for it. */
export interface NoiseJpeg {
  bytes: Buffer;
  sha256: string;
  width: number;
  height: number;
}

/**
 * `count` JPEGs of random pixels, each different (media deduplicates uploads by SHA-256
 * within an organization: a repeated file would skip processing).
 *
 * Noise is the worst case for JPEG and WebP alike (no block compresses), so it makes a
 * large file from few pixels, and processing it costs at least what a photo of its size
 * does. The pixels span half the range (64–191): full-range noise at quality 95 would be
 * a third larger for the same pixels. At 3072×2048 and quality 95 that is about 5.2 MB.
 */
export async function noiseJpegs(count: number, shape: { width: number; height: number; quality: number }): Promise<NoiseJpeg[]> {
  // sharp encodes on libuv's pool: two at once keep two cores busy.
  const jpegs = await mapConcurrently(Array.from({ length: count }), 2, async () => {
    const pixels = randomBytes(shape.width * shape.height * 3);
    for (let index = 0; index < pixels.length; index++) pixels[index] = 64 + (pixels[index]! >> 1);
    const bytes = await sharp(pixels, { raw: { width: shape.width, height: shape.height, channels: 3 } })
      .jpeg({ quality: shape.quality })
      .toBuffer();
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), width: shape.width, height: shape.height };
  });
  if (new Set(jpegs.map((jpeg) => jpeg.sha256)).size !== count) throw new Error('two generated JPEGs came out the same');
  return jpegs;
}
