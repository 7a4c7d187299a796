import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndHash } from './download-and-hash.ts';
import { makeImageVariants } from './image-variants.ts';
import { fileKey, type DeclaredUpload, type ProcessResult, type ProcessUpload } from './process-upload.ts';
import type { MediaStorage } from '../storage/media-storage.ts';
import { sniffType } from './sniff-type.ts';
import { storeVariants } from './store-variants.ts';
import { checkSvg } from './svg-check.ts';

/**
 * Checks an upload that has arrived in storage and makes what is served from it.
 *
 * 1. download-and-hash.ts: copies it to a temporary folder while counting and hashing it
 *    (stopping as soon as it is larger than declared or than `maxBytes`); it must be the
 *    declared size and SHA-256.
 * 2. sniff-type.ts: the type found in its bytes must be allowed and the declared one.
 * 3. By kind: raster images are re-encoded without metadata into `original`, `thumb`,
 *    `medium` and `large` (image-variants.ts), then stored (store-variants.ts), and the
 *    upload is no longer served; an SVG must be clean (svg-check.ts); a clean SVG, a
 *    document, a sound or a video is served as it is, from a copy of the checked bytes
 *    (fileKey), never from the upload key, which can be uploaded to again.
 *
 * A problem with the file returns `rejected` with a reason for people; storage and disk
 * errors are thrown, for the job runner to retry (every step can run again: keys are
 * content-addressed). Deleting the upload (when rejected, or replaced by `original`) is
 * the caller's: it alone knows whether another asset of the organization holds the same
 * bytes.
 *
 * Memory: the upload is streamed to disk and examined from there (file-type reads a few
 * kilobytes; the text check reads 64 KiB at a time). Only two things hold a whole file:
 * an SVG (at most `maxSvgBytes`, parsed into a DOM) and sharp's output for one variant
 * at a time (the re-encoded original is the largest); sharp itself decodes from the file.
 */
/** Writes the bytes that were checked (the temporary copy, not the upload key) to where they are served from. */
async function storeCheckedFile(storage: MediaStorage, declared: DeclaredUpload, path: string, contentType: string): Promise<void> {
  await storage.write(fileKey(declared.organizationId, declared.sha256), createReadStream(path), {
    contentType,
    byteSize: declared.byteSize,
    immutable: true,
  });
}

export const processUpload: ProcessUpload = async (storage, declared, limits): Promise<ProcessResult> => {
  const workDir = await mkdtemp(join(tmpdir(), 'media-processing-'));
  try {
    const uploadPath = join(workDir, 'upload');
    const download = await downloadAndHash(storage, declared, limits, uploadPath);
    if (download.outcome === 'rejected') return download;
    const sniffed = await sniffType(uploadPath, declared.contentType);
    if (sniffed.outcome === 'rejected') return sniffed;
    const { contentType, kind, handling } = sniffed.type;

    switch (handling) {
      case 'raster': {
        const image = await makeImageVariants(uploadPath, contentType, workDir, limits);
        if (image.outcome === 'rejected') return image;
        const variants = await storeVariants(storage, declared.organizationId, image.variants);
        return { outcome: 'ready', contentType, kind, width: image.width, height: image.height, variants, servesUpload: false };
      }
      case 'svg': {
        const svg = await checkSvg(uploadPath, download.byteSize);
        if (svg.outcome === 'rejected') return svg;
        await storeCheckedFile(storage, declared, uploadPath, contentType);
        return { outcome: 'ready', contentType, kind, width: svg.width, height: svg.height, variants: [], servesUpload: true };
      }
      case 'text':
      case 'file':
        await storeCheckedFile(storage, declared, uploadPath, contentType);
        return { outcome: 'ready', contentType, kind, width: null, height: null, variants: [], servesUpload: true };
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
