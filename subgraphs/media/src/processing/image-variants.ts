import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import type { ProcessingLimits, ProducedVariant } from './process-upload.ts';
import { rejected, type Rejection } from './rejection.ts';

/** A variant made on local disk, not yet stored. */
export interface MadeVariant {
  name: ProducedVariant['name'];
  path: string;
  width: number;
  height: number;
  contentType: string;
  extension: string;
}

export interface MadeImage {
  outcome: 'made';
  /** After auto-orientation (a portrait photo stored sideways with EXIF Orientation 6 is taller than wide). */
  width: number;
  height: number;
  /** An animated GIF or WebP: `original` keeps every frame, the WebP sizes show the first. */
  animated: boolean;
  variants: MadeVariant[];
}

/**
 * The sizes made from every raster image, as WebP: each fits in a square of that many
 * pixels (the longest side is at most that long). An image smaller than a size is not
 * enlarged: the variant is then the whole image, so every image has all three names for
 * pages to rely on, and identical variants share one stored object (keys are the bytes'
 * SHA-256).
 */
export const variantSizes = [
  ['thumb', 256],
  ['medium', 1024],
  ['large', 2048],
] as const satisfies ReadonlyArray<readonly [ProducedVariant['name'], number]>;

interface OriginalFormat {
  /** What sharp's decoder must say the bytes are (file-type and libvips must agree). */
  decoder: string;
  extension: string;
  encode(image: Sharp): Sharp;
}

/**
 * How `original` is re-encoded, in the uploaded format. Re-encoding is what removes the
 * metadata: sharp writes none unless told to (no EXIF, so no GPS position or camera serial
 * number, no XMP, no IPTC, and no ICC profile: pixels are converted to sRGB, which is what
 * the web assumes, rather than carrying a profile that may also identify a device). Lossy
 * formats are re-encoded at a high quality, so the generation lost is hard to see.
 */
const originalFormats: Record<string, OriginalFormat> = {
  'image/jpeg': { decoder: 'jpeg', extension: 'jpg', encode: (image) => image.jpeg({ quality: 90 }) },
  'image/png': { decoder: 'png', extension: 'png', encode: (image) => image.png() },
  'image/webp': { decoder: 'webp', extension: 'webp', encode: (image) => image.webp({ quality: 90 }) },
  'image/gif': { decoder: 'gif', extension: 'gif', encode: (image) => image.gif() },
  'image/avif': { decoder: 'heif', extension: 'avif', encode: (image) => image.avif({ quality: 70 }) },
};

/** The raster types processing can make variants of (every accepted IMAGE type but SVG must be one). */
export const rasterContentTypes: readonly string[] = Object.keys(originalFormats);

/**
 * Decodes a raster image with sharp and writes `original`, `thumb`, `medium` and `large`
 * into `workDir`.
 *
 * - Decompression bombs are refused from the header, before any pixel is decoded: more
 *   pixels than `limits.maxPixels` (all frames together for an animation). sharp's own
 *   `limitInputPixels` is set as well, in case a header lies.
 * - `failOn: 'error'`: a truncated or corrupt image is refused rather than half decoded.
 * - Each output is a separate sharp pipeline reading the file (libvips streams it; JPEG
 *   shrinks on load for the small sizes), one at a time, so memory holds one decode at a
 *   time, never all of them.
 *
 * Every sharp error is a rejection: the input is a local file already checked, so sharp
 * failing means the bytes are not a decodable image. The outputs are written to disk by
 * this module (not by libvips), so a full disk is thrown, not blamed on the file.
 */
export async function makeImageVariants(
  path: string,
  contentType: string,
  workDir: string,
  limits: ProcessingLimits,
): Promise<MadeImage | Rejection> {
  const format = originalFormats[contentType];
  if (!format) throw new Error(`no raster handling for ${contentType}`);

  let metadata: Metadata;
  try {
    // The header only, with no pixel limit, so a bomb is named as such below.
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    return rejected(`the image cannot be read (${messageOf(error)})`);
  }
  if (metadata.format !== format.decoder) {
    return rejected(`declared ${contentType}, but the image decoder reads the bytes as ${metadata.format}`);
  }
  const frames = metadata.pages ?? 1;
  const animated = frames > 1 && (metadata.format === 'gif' || metadata.format === 'webp');
  const framePixels = metadata.width * metadata.height;
  if (framePixels > limits.maxPixels) {
    return rejected(
      `the image is ${metadata.width}×${metadata.height} pixels (${framePixels}), over the limit of ${limits.maxPixels} pixels`,
    );
  }
  if (animated && framePixels * frames > limits.maxPixels) {
    return rejected(
      `the animation is ${frames} frames of ${metadata.width}×${metadata.height} pixels (${framePixels * frames} in all), over the limit of ${limits.maxPixels} pixels`,
    );
  }

  const input = (allFrames: boolean) =>
    sharp(path, { limitInputPixels: limits.maxPixels, failOn: 'error', animated: allFrames }).rotate();

  const original = await make(workDir, 'original', format.encode(input(animated)), contentType, format.extension);
  if (original.outcome === 'rejected') return original;
  const variants: MadeVariant[] = [original.variant];
  for (const [name, size] of variantSizes) {
    const resized = input(false)
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 });
    const made = await make(workDir, name, resized, 'image/webp', 'webp');
    if (made.outcome === 'rejected') return made;
    variants.push(made.variant);
  }
  const { width, height } = original.variant;
  return { outcome: 'made', width, height, animated, variants };
}

/**
 * Runs one pipeline and writes its output to `workDir`. The output passes through memory
 * (at most the re-encoded original), and is let go as soon as it is on disk. An error
 * from sharp is the image's fault; one from writing the file is thrown.
 */
async function make(
  workDir: string,
  name: ProducedVariant['name'],
  image: Sharp,
  contentType: string,
  extension: string,
): Promise<{ outcome: 'made'; variant: MadeVariant } | Rejection> {
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await image.toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = messageOf(error);
    if (/pixel limit/i.test(message)) return rejected(`the image has more pixels than the limit (${message})`);
    return rejected(`the image cannot be decoded (${message})`);
  }
  const path = join(workDir, `${name}.${extension}`);
  await writeFile(path, output.data, { mode: 0o600 });
  // An animation's output is its frames stacked: its height is one frame's.
  const { width, pageHeight, height } = output.info;
  return { outcome: 'made', variant: { name, path, width, height: pageHeight ?? height, contentType, extension } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
