import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MediaStorage } from '../storage/media-storage.ts';
import { uploadKey, type DeclaredUpload, type ProcessingLimits } from './process-upload.ts';
import { rejected, type Rejection } from './rejection.ts';

/** The upload, copied to a local file, and what its bytes were found to be. */
export interface Downloaded {
  outcome: 'downloaded';
  byteSize: number;
  /** Hex SHA-256 of the bytes (equal to the declared one). */
  sha256: string;
}

/** Thrown inside the copy to stop it as soon as the bytes are too many; never leaves this module. */
class TooManyBytes extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Copies the upload from storage to `path` (a file that must not exist yet), hashing and
 * counting the bytes as they pass, and checks them against what was declared.
 *
 * Memory stays at one stream chunk whatever the file's size: the bytes go straight to
 * disk, and the copy stops (destroying the storage stream, so the rest is never
 * downloaded) as soon as there are more of them than declared or than `limits.maxBytes`.
 *
 * Returns a rejection for a problem with the file (nothing uploaded, wrong size, wrong
 * SHA-256, too big). Storage errors are thrown: they are the job's to retry.
 */
export async function downloadAndHash(
  storage: MediaStorage,
  declared: DeclaredUpload,
  limits: ProcessingLimits,
  path: string,
): Promise<Downloaded | Rejection> {
  const key = uploadKey(declared.organizationId, declared.sha256);
  const stored = await storage.head(key);
  if (!stored) return rejected('nothing was uploaded');
  if (stored.byteSize > limits.maxBytes) {
    return rejected(`the file is ${stored.byteSize} bytes, over the limit of ${limits.maxBytes} bytes`);
  }
  if (stored.byteSize !== declared.byteSize) {
    return rejected(`the file is ${stored.byteSize} bytes, not the declared ${declared.byteSize} bytes`);
  }

  // The size storage reports is checked above, but the bytes are counted again as they
  // arrive: the object may be replaced between the two requests (an upload URL stays
  // valid until it expires), and the count is what the hash covers.
  const hash = createHash('sha256');
  let byteSize = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      byteSize += chunk.length;
      if (byteSize > limits.maxBytes) {
        callback(new TooManyBytes(`the file is at least ${byteSize} bytes, over the limit of ${limits.maxBytes} bytes`));
        return;
      }
      if (byteSize > declared.byteSize) {
        callback(new TooManyBytes(`the file is larger than the declared ${declared.byteSize} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });

  const body = await storage.read(key);
  try {
    await pipeline(body, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof TooManyBytes) return rejected(error.reason);
    throw error;
  }

  if (byteSize !== declared.byteSize) {
    return rejected(`the file is ${byteSize} bytes, not the declared ${declared.byteSize} bytes`);
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== declared.sha256.toLowerCase()) {
    return rejected(`its SHA-256 is ${sha256}, not the declared ${declared.sha256}`);
  }
  return { outcome: 'downloaded', byteSize, sha256 };
}
