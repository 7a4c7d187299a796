import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CompleteHttpAnswer } from '@token-nexus/shared';

/**
 * What browsers and CDNs may do with an answer. Apollo computes its policy from the
 * subgraphs' (the shortest age, the narrowest scope) as `max-age=N, public|private`:
 * - a PUBLIC answer (a published page) gets `public, max-age=N` and an ETag, and a
 *   request that already holds that version (If-None-Match) is answered 304 with no body;
 * - anything else is `no-store`: a private answer cached in a browser would outlive the
 *   change that makes it stale, where the gateway's own cache would not.
 */
export function httpCaching(request: IncomingMessage): (answer: CompleteHttpAnswer) => CompleteHttpAnswer {
  return (answer) => {
    const policy = /^max-age=(\d+), public$/.exec(answer.headers.get('cache-control') ?? '');
    if (!policy || answer.status !== 200) {
      answer.headers.set('cache-control', 'no-store');
      return answer;
    }
    const etag = `W/"${createHash('sha256').update(answer.body).digest('base64url').slice(0, 27)}"`;
    answer.headers.set('cache-control', `public, max-age=${policy[1]}`);
    answer.headers.set('etag', etag);
    const held = request.headers['if-none-match'];
    if (held && held.split(',').some((tag) => tag.trim() === etag)) {
      answer.headers.delete('content-type');
      return { ...answer, status: 304, body: '' };
    }
    return answer;
  };
}
