import { createReadStream } from 'node:fs';

/** What a file's bytes are, seen as text. */
export type TextInspection =
  | { kind: 'binary'; why: string }
  /** Valid UTF-8 without NUL, but it starts like a web page or an SVG: `found` names what gave it away. */
  | { kind: 'markup'; found: string }
  | { kind: 'text' };

/** How far into the file markup is looked for (the first bytes are what browsers sniff). */
const markupWindow = 1024;

/**
 * The starts the WHATWG MIME sniffing standard reads as HTML or XML (after whitespace),
 * plus SVG: a "text" file beginning with one of them is a page in disguise.
 */
const markupStart = /^<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg)(?=[\s>])|^<!--|^<\?xml/i;
/** Tags that make bytes a page wherever they appear near the start (older browsers scanned for them). */
const markupTag = /<(?:!doctype|html|head|body|script|iframe|svg|object|embed)(?=[\s>/])/i;

/**
 * Reads the file in chunks (memory stays at one chunk) and says whether it is plain text:
 * valid UTF-8 without NUL bytes, and not markup near its start. file-type recognises no
 * text format, so `text/plain` and `text/csv` are accepted on this alone, and HTML must
 * not get in as "text".
 */
export async function inspectText(path: string): Promise<TextInspection> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = Buffer.alloc(0);
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) return { kind: 'binary', why: 'it holds NUL bytes' };
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        return { kind: 'binary', why: 'it is not valid UTF-8' };
      }
      if (start.length < markupWindow) start = Buffer.concat([start, chunk.subarray(0, markupWindow - start.length)]);
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) return { kind: 'binary', why: 'it is not valid UTF-8' };
    throw error;
  } finally {
    stream.destroy();
  }

  // The window may end inside a character: decoded leniently, it ends in U+FFFD, which
  // matches nothing below.
  const head = start.toString('utf8').replace(/^\uFEFF/, '');
  const found = markupStart.exec(head.trimStart()) ?? markupTag.exec(head);
  if (found) return { kind: 'markup', found: found[0] };
  return { kind: 'text' };
}
