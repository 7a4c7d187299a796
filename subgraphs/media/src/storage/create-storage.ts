import type { MediaConfig } from '../config.ts';
import { createFolderStorage } from './folder-storage.ts';
import type { MediaStorage } from './media-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/** The configured backend: S3-compatible storage, or the embedded default's folder. */
export function createStorage(config: MediaConfig, publicOrigin: () => string): MediaStorage {
  if (config.storage.kind === 's3') {
    const { kind: _kind, ...s3 } = config.storage;
    return createS3Storage(s3);
  }
  return createFolderStorage({ directory: config.storage.directory, signingSecret: config.urlSecret, publicOrigin });
}
