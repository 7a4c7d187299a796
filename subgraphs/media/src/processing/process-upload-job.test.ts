import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, test } from 'vitest';
import type { MediaStorage, PresignedUpload, StoredObject } from '../storage/media-storage.ts';
import { processUpload } from './process-upload-job.ts';
import { uploadKey, type DeclaredUpload, type ProcessingLimits, type ProcessResult } from './process-upload.ts';

const organizationId = '0195f1c2-0000-7000-8000-000000000001';
const limits: ProcessingLimits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 };

interface StoredBytes {
  bytes: Buffer;
  contentType: string | null;
  immutable: boolean;
}

/**
 * MediaStorage in a Map, for these tests of processing (the real backends have their own
 * tests). It streams reads in 16 KiB chunks and counts what it handed out, and it can be
 * told to fail like a network would.
 */
class MemoryStorage implements MediaStorage {
  readonly kind = 'folder';
  readonly objects = new Map<string, StoredBytes>();
  /** Bytes handed out by read streams so far. */
  bytesRead = 0;
  /** When set, a read stream fails with this error after its first chunk. */
  failReadsWith: Error | null = null;
  /** When set, every write fails with this error. */
  failWritesWith: Error | null = null;
  /** When set, head reports this size whatever is stored (the object was replaced in between). */
  headSizeOverride: number | null = null;

  async presignUpload(): Promise<PresignedUpload> {
    throw new Error('processing never presigns');
  }
  async presignDownload(): Promise<string> {
    throw new Error('processing never presigns');
  }
  publicUrl(): string | null {
    return null;
  }
  async head(key: string): Promise<StoredObject | null> {
    const object = this.objects.get(key);
    if (!object) return null;
    return { byteSize: this.headSizeOverride ?? object.bytes.length, contentType: object.contentType };
  }
  async read(key: string): Promise<Readable> {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object at ${key}`);
    const failure = this.failReadsWith;
    const countRead = (length: number) => (this.bytesRead += length);
    return Readable.from(
      (async function* () {
        for (let offset = 0; offset < object.bytes.length; offset += 16 * 1024) {
          const chunk = object.bytes.subarray(offset, offset + 16 * 1024);
          countRead(chunk.length);
          yield chunk;
          if (failure) throw failure;
        }
      })(),
    );
  }
  async write(key: string, body: Buffer | Readable, options: { contentType: string; byteSize: number; immutable?: boolean }) {
    if (this.failWritesWith) throw this.failWritesWith;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.concat(await body.toArray());
    if (bytes.length !== options.byteSize) throw new Error(`${key}: ${bytes.length} bytes written, ${options.byteSize} announced`);
    this.objects.set(key, { bytes, contentType: options.contentType, immutable: options.immutable ?? false });
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Puts `bytes` where the client's PUT would have, and returns what the client declared. */
function uploaded(storage: MemoryStorage, bytes: Buffer, contentType: string, declared: Partial<DeclaredUpload> = {}): DeclaredUpload {
  const upload: DeclaredUpload = {
    organizationId,
    filename: 'file',
    contentType,
    byteSize: bytes.length,
    sha256: sha256(bytes),
    ...declared,
  };
  storage.objects.set(uploadKey(organizationId, upload.sha256), { bytes, contentType, immutable: false });
  return upload;
}

async function processed(bytes: Buffer, contentType: string, declared: Partial<DeclaredUpload> = {}, processingLimits = limits) {
  const storage = new MemoryStorage();
  const result = await processUpload(storage, uploaded(storage, bytes, contentType, declared), processingLimits);
  return { result, storage };
}

function ready(result: ProcessResult) {
  if (result.outcome !== 'ready') throw new Error(`expected ready, got: ${result.reason}`);
  return result;
}

/** A photo as a phone stores it: pixels sideways, EXIF Orientation 6, and where it was taken. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 40, b: 30 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 8/1 0/1' } })
    .toBuffer();
}

function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 120, b: 255 } } }).png().toBuffer();
}

/** A PNG whose header claims the given size, with one row of real data: a decompression bomb's shape. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const minimalPdf = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n'),
);

const html = Buffer.from('<!DOCTYPE html>\n<html><body><script>fetch("/graphql")</script></body></html>\n');

/** A WAV file: the RIFF header and a tenth of a second of silence. */
function wav(): Buffer {
  const samples = Buffer.alloc(800);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

describe('processing an uploaded raster image', () => {
  test('a phone photo is turned upright, stripped of EXIF and GPS, and made into original, thumb, medium and large', async () => {
    const photo = await phonePhoto();
    const before = await sharp(photo).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer, tag 0x8825

    const { result, storage } = await processed(photo, 'image/jpeg');

    const asset = ready(result);
    expect(asset).toMatchObject({ contentType: 'image/jpeg', kind: 'IMAGE', width: 400, height: 600, servesUpload: false });
    expect(asset.variants.map((variant) => variant.name)).toEqual(['original', 'thumb', 'medium', 'large']);
    const byName = Object.fromEntries(asset.variants.map((variant) => [variant.name, variant]));
    expect(byName.original).toMatchObject({ contentType: 'image/jpeg', width: 400, height: 600 });
    expect(byName.thumb).toMatchObject({ contentType: 'image/webp', width: 171, height: 256 });
    // Not enlarged: an image smaller than a size is that size's variant, stored once.
    expect(byName.medium).toMatchObject({ contentType: 'image/webp', width: 400, height: 600 });
    expect(byName.large!.storageKey).toBe(byName.medium!.storageKey);

    for (const variant of asset.variants) {
      const stored = storage.objects.get(variant.storageKey)!;
      expect(stored).toMatchObject({ contentType: variant.contentType, immutable: true });
      expect(stored.bytes.length).toBe(variant.byteSize);
      expect(variant.storageKey).toBe(`orgs/${organizationId}/variants/${sha256(stored.bytes)}.${variant.name === 'original' ? 'jpg' : 'webp'}`);
      const metadata = await sharp(stored.bytes).metadata();
      expect(metadata).toMatchObject({ width: variant.width, height: variant.height });
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
    }
  });

  test('a large image gets variants that fit in 256, 1024 and 2048 pixels', async () => {
    const { result } = await processed(await png(3000, 1500), 'image/png');

    const asset = ready(result);
    expect(asset).toMatchObject({ width: 3000, height: 1500 });
    expect(asset.variants.map(({ name, width, height, contentType }) => ({ name, width, height, contentType }))).toEqual([
      { name: 'original', width: 3000, height: 1500, contentType: 'image/png' },
      { name: 'thumb', width: 256, height: 128, contentType: 'image/webp' },
      { name: 'medium', width: 1024, height: 512, contentType: 'image/webp' },
      { name: 'large', width: 2048, height: 1024, contentType: 'image/webp' },
    ]);
  });

  test('an animated GIF keeps its frames in original; the WebP sizes show the first frame', async () => {
    const frames = await Promise.all(
      [0, 1, 2].map((index) =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: { r: index * 100, g: 0, b: 0 } } }).png().toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } }).gif({ delay: [100, 100, 100] }).toBuffer();

    const { result, storage } = await processed(gif, 'image/gif');

    const asset = ready(result);
    expect(asset).toMatchObject({ contentType: 'image/gif', width: 40, height: 30 });
    const [original, thumb] = asset.variants;
    expect(original).toMatchObject({ name: 'original', contentType: 'image/gif', width: 40, height: 30 });
    expect(await sharp(storage.objects.get(original!.storageKey)!.bytes).metadata()).toMatchObject({ pages: 3 });
    expect((await sharp(storage.objects.get(thumb!.storageKey)!.bytes).metadata()).pages ?? 1).toBe(1);
  });

  test.each([
    ['image/png', (image: Sharp) => image.png(), 'png'],
    ['image/webp', (image: Sharp) => image.webp(), 'webp'],
    ['image/avif', (image: Sharp) => image.avif(), 'heif'],
  ])('a %s keeps its format in original', async (contentType, encode, decoder) => {
    const bytes = await encode(sharp({ create: { width: 120, height: 90, channels: 3, background: 'orange' } })).toBuffer();

    const { result, storage } = await processed(bytes, contentType);

    const [original] = ready(result).variants;
    expect(original).toMatchObject({ name: 'original', contentType, width: 120, height: 90 });
    expect(await sharp(storage.objects.get(original!.storageKey)!.bytes).metadata()).toMatchObject({ format: decoder });
  });

  test('a type declared with an alias (image/jpg) is accepted as the type it names', async () => {
    const { result } = await processed(await phonePhoto(), 'image/jpg');

    expect(ready(result).contentType).toBe('image/jpeg');
  });

  test('an image with more pixels than the limit is refused from its header, as a decompression bomb', async () => {
    const { result, storage } = await processed(pngClaiming(20_000, 20_000), 'image/png');

    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'the image is 20000×20000 pixels (400000000), over the limit of 40000000 pixels',
    });
    expect([...storage.objects.keys()].filter((key) => key.includes('/variants/'))).toEqual([]);
  });

  test('the pixel limit is the one given', async () => {
    const { result } = await processed(await png(100, 100), 'image/png', {}, { ...limits, maxPixels: 1000 });

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('over the limit of 1000 pixels') });
  });

  test('a truncated image is refused, not half decoded', async () => {
    const photo = await sharp({ create: { width: 300, height: 300, channels: 3, background: 'green' } }).jpeg().toBuffer();

    const { result } = await processed(photo.subarray(0, photo.length - 200), 'image/jpeg');

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^the image cannot be decoded/) });
  });
});

describe('refusing a content type spoof', () => {
  test('PNG bytes declared as a PDF are rejected, naming both types', async () => {
    const { result } = await processed(await png(10, 10), 'application/pdf');

    expect(result).toEqual({ outcome: 'rejected', reason: 'declared application/pdf, but the bytes are image/png' });
  });

  test('HTML in a .jpg is rejected', async () => {
    const { result } = await processed(html, 'image/jpeg');

    expect(result).toEqual({ outcome: 'rejected', reason: 'declared image/jpeg, but the bytes are markup (<!DOCTYPE html near the start)' });
  });

  test('HTML declared as text/plain is rejected', async () => {
    const { result } = await processed(html, 'text/plain');

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^declared text\/plain, but the bytes are markup/) });
  });

  test('a page that starts with text and has a script a little further is rejected as text', async () => {
    const page = Buffer.from(`Totally a CSV\n${'a,b\n'.repeat(20)}<script>alert(1)</script>\n`);

    const { result } = await processed(page, 'text/csv');

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('markup (<script') });
  });

  test('binary bytes declared as text are rejected', async () => {
    const { result } = await processed(Buffer.from([0x41, 0x42, 0xff, 0xfe, 0x00, 0x43]), 'text/plain');

    expect(result).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^declared text\/plain, but the bytes are not text/) });
  });

  test('a type that is not allowed is rejected, whatever the bytes', async () => {
    const { result } = await processed(Buffer.from('#!/bin/sh\necho hello\n'), 'application/x-sh');

    expect(result).toEqual({ outcome: 'rejected', reason: 'declared application/x-sh, which is not an allowed type' });
  });
});

describe('processing documents, audio and video', () => {
  test('plain UTF-8 text is a READY document, served from a copy of the bytes that were checked', async () => {
    const bytes = Buffer.from('Grüße aus Köln 👋\nline two\n');
    const { result, storage } = await processed(bytes, 'text/plain; charset=utf-8');

    expect(result).toEqual({
      outcome: 'ready',
      contentType: 'text/plain',
      kind: 'DOCUMENT',
      width: null,
      height: null,
      variants: [],
      servesUpload: true,
    });
    // The upload key can be uploaded to again after the check: what is served is a copy.
    const served = [...storage.objects.entries()].filter(([key]) => key.includes('/files/'));
    expect(served).toHaveLength(1);
    expect(served[0]![0]).toBe(`orgs/${organizationId}/files/${sha256(bytes)}`);
    expect(served[0]![1].bytes.equals(bytes)).toBe(true);
  });

  test('a PDF is a READY document', async () => {
    const { result } = await processed(minimalPdf, 'application/pdf');

    expect(result).toMatchObject({ outcome: 'ready', contentType: 'application/pdf', kind: 'DOCUMENT', variants: [], servesUpload: true });
  });

  test('a WAV declared as audio/x-wav is READY audio/wav', async () => {
    const { result } = await processed(wav(), 'audio/x-wav');

    expect(result).toMatchObject({ outcome: 'ready', contentType: 'audio/wav', kind: 'AUDIO', width: null, height: null });
  });
});

describe('processing an uploaded SVG', () => {
  test('a clean SVG is READY and served as uploaded, sized from its viewBox', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><circle cx="60" cy="40" r="30" fill="teal"/></svg>\n',
    );

    const { result } = await processed(svg, 'image/svg+xml');

    expect(result).toEqual({
      outcome: 'ready',
      contentType: 'image/svg+xml',
      kind: 'IMAGE',
      width: 120,
      height: 80,
      variants: [],
      servesUpload: true,
    });
  });

  test('an SVG with a script is rejected', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="1" height="1"/></svg>');

    const { result } = await processed(svg, 'image/svg+xml');

    expect(result).toEqual({ outcome: 'rejected', reason: 'the SVG is not clean: <script>' });
  });

  test('an SVG with an external reference is rejected', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/></svg>',
    );

    const { result } = await processed(svg, 'image/svg+xml');

    expect(result).toEqual({
      outcome: 'rejected',
      reason: 'the SVG is not clean: an external reference xlink:href="https://tracker.example/pixel.png" on <image>',
    });
  });

  test('SVG bytes declared as text are rejected', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>');

    const { result } = await processed(svg, 'text/plain');

    expect(result).toMatchObject({ outcome: 'rejected', reason: 'declared text/plain, but the bytes are markup (<svg near the start)' });
  });
});

describe('checking what arrived against what was declared', () => {
  test('nothing uploaded is rejected', async () => {
    const storage = new MemoryStorage();
    const bytes = Buffer.from('never sent');
    const declared: DeclaredUpload = { organizationId, filename: 'a.txt', contentType: 'text/plain', byteSize: bytes.length, sha256: sha256(bytes) };

    expect(await processUpload(storage, declared, limits)).toEqual({ outcome: 'rejected', reason: 'nothing was uploaded' });
  });

  test('bytes whose SHA-256 is not the declared one are rejected', async () => {
    const bytes = Buffer.from('the real bytes\n');
    const claimed = sha256(Buffer.from('other bytes\n'));

    const { result } = await processed(bytes, 'text/plain', { sha256: claimed });

    expect(result).toEqual({ outcome: 'rejected', reason: `its SHA-256 is ${sha256(bytes)}, not the declared ${claimed}` });
  });

  test('a file bigger than declared is rejected', async () => {
    const bytes = Buffer.from('twenty bytes of text');

    const { result } = await processed(bytes, 'text/plain', { byteSize: 10 });

    expect(result).toEqual({ outcome: 'rejected', reason: 'the file is 20 bytes, not the declared 10 bytes' });
  });

  test('a file over MEDIA_MAX_BYTES is rejected', async () => {
    const bytes = Buffer.alloc(2000, 'a');

    const { result } = await processed(bytes, 'text/plain', {}, { ...limits, maxBytes: 1000 });

    expect(result).toEqual({ outcome: 'rejected', reason: 'the file is 2000 bytes, over the limit of 1000 bytes' });
  });

  test('a file that grew after it was measured stops being downloaded once it passes the declared size', async () => {
    const storage = new MemoryStorage();
    const bytes = Buffer.alloc(1024 * 1024, 'a');
    const declared = uploaded(storage, bytes, 'text/plain', { byteSize: 1000 });
    storage.headSizeOverride = 1000;

    const result = await processUpload(storage, declared, limits);

    expect(result).toEqual({ outcome: 'rejected', reason: 'the file is larger than the declared 1000 bytes' });
    expect(storage.bytesRead).toBeLessThan(bytes.length / 4);
  });
});

describe('failures that are not the file’s', () => {
  test('a storage error while reading is thrown, for the job to retry', async () => {
    const storage = new MemoryStorage();
    const declared = uploaded(storage, Buffer.alloc(100_000, 'a'), 'text/plain');
    storage.failReadsWith = new Error('socket hang up');

    await expect(processUpload(storage, declared, limits)).rejects.toThrow('socket hang up');
  });

  test('a storage error while writing a variant is thrown, for the job to retry', async () => {
    const storage = new MemoryStorage();
    const declared = uploaded(storage, await png(50, 50), 'image/png');
    storage.failWritesWith = new Error('503 Slow Down');

    await expect(processUpload(storage, declared, limits)).rejects.toThrow('503 Slow Down');
  });

  test('the temporary files are removed, whatever the outcome', async () => {
    // A folder of its own, so that other processing running at the same time is not counted.
    const ownTmp = await mkdtemp(join(tmpdir(), 'processing-test-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = ownTmp;
    try {
      await processed(await phonePhoto(), 'image/jpeg');
      await processed(html, 'image/jpeg');
      const storage = new MemoryStorage();
      const declared = uploaded(storage, Buffer.alloc(100_000, 'a'), 'text/plain');
      storage.failReadsWith = new Error('socket hang up');
      await expect(processUpload(storage, declared, limits)).rejects.toThrow();

      expect(await readdir(ownTmp)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(ownTmp, { recursive: true, force: true });
    }
  });
});
