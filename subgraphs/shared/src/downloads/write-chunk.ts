import type { ServerResponse } from 'node:http';

/**
 * Writes a chunk of a streamed download and, when the client reads slower than we produce,
 * waits until it has caught up or gone (back-pressure). The two listeners remove each
 * other, so a long download does not pile them up.
 */
export async function writeChunk(response: ServerResponse, chunk: string): Promise<void> {
  if (response.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
