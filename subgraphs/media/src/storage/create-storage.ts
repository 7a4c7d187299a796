import type { MediaConfig } from '../config.ts';
import { createFolderStorage } from './folder-storage.ts';
import type { MediaStorage } from './media-storage.ts';

/**
 * The configured backend: S3-compatible storage, or the embedded default's folder. The AWS
 * SDK is loaded only for S3 (it takes about 0.2 s to import, paid by every graph that starts).
 */
export async function createStorage(config: MediaConfig, publicOrigin: () => string): Promise<MediaStorage> {
  if (config.storage.kind === 's3') {
    const { kind: _kind, ...s3 } = config.storage;
    const { createS3Storage } = await import('./s3-storage.ts');
    return createS3Storage(s3);
  }
  return createFolderStorage({ directory: config.storage.directory, signingSecret: config.urlSecret, publicOrigin });
}
