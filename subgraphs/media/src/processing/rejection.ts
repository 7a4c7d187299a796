import type { ProcessResult } from './process-upload.ts';

/** A problem with the uploaded file itself: the asset becomes REJECTED with this reason. */
export type Rejection = Extract<ProcessResult, { outcome: 'rejected' }>;

export function rejected(reason: string): Rejection {
  return { outcome: 'rejected', reason };
}
