import { get, type IncomingMessage } from 'node:http';

/** What a download delivered, counted as it streamed by. */
export interface DownloadCount {
  status: number;
  contentType: string | undefined;
  bytes: number;
  /** Lines, the last one counted even without a final newline. */
  lines: number;
  /** From sending the request to the last byte. */
  durationMs: number;
  /** From sending the request to the first byte of the body. */
  firstByteMs: number;
  /** The longest wait between two chunks of the body: a slow batch upstream shows here. */
  maxChunkGapMs: number;
}

const newline = 0x0a;

/**
 * GETs `url` and reads the body as fast as it comes, counting its bytes and lines without
 * keeping any of it, as a client saving to disk would: the only memory a download takes
 * in this process is then the server's (and the sockets'). Fails unless the status is 200
 * and the body arrived whole.
 */
export async function countDownload(url: string, signal?: AbortSignal): Promise<DownloadCount> {
  const startedAt = performance.now();
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    get(url, signal ? { signal } : {}, resolve).on('error', reject);
  });
  if (response.statusCode !== 200) {
    // An error answer is small (a GraphQL error document): worth showing in full.
    const body = await readText(response);
    throw new Error(`download answered ${response.statusCode}: ${body}`);
  }
  const count = { bytes: 0, lines: 0, firstByteMs: Number.NaN, maxChunkGapMs: 0 };
  let lastByte = newline;
  let lastChunkAt = performance.now();
  for await (const chunk of response as AsyncIterable<Buffer>) {
    const now = performance.now();
    if (count.bytes === 0) count.firstByteMs = now - startedAt;
    else count.maxChunkGapMs = Math.max(count.maxChunkGapMs, now - lastChunkAt);
    lastChunkAt = now;
    count.bytes += chunk.length;
    count.lines += countNewlines(chunk);
    lastByte = chunk[chunk.length - 1] ?? lastByte;
  }
  // A connection cut mid-body can end the stream without an error: only `complete` says
  // the whole (chunked) body arrived.
  if (!response.complete) throw new Error(`download cut off after ${count.bytes} bytes`);
  if (lastByte !== newline) count.lines++;
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'],
    ...count,
    durationMs: performance.now() - startedAt,
  };
}

function countNewlines(chunk: Buffer): number {
  let lines = 0;
  for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, at + 1)) lines++;
  return lines;
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
