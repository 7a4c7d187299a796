import { fileTypeFromFile } from 'file-type';
import { allowedType, normalizeContentType, type AllowedType } from './allowed-types.ts';
import { rejected, type Rejection } from './rejection.ts';
import { inspectText } from './text-check.ts';

export interface Sniffed {
  outcome: 'allowed';
  /** The type the bytes are, which is also the declared one (aliases resolved). */
  type: AllowedType;
}

/**
 * Finds what the file really is from its bytes and checks that it is an allowed type and
 * the declared one.
 *
 * - Binary formats are recognised from their magic numbers by file-type (it reads a few
 *   kilobytes from the file, never all of it).
 * - file-type recognises no text: `text/plain` and `text/csv` are accepted only when it
 *   recognises nothing and the bytes are UTF-8 without NUL that does not start like
 *   markup, so HTML gets in neither as "text" nor as anything else.
 * - SVG is XML, which file-type recognises at best as `application/xml`: declared
 *   `image/svg+xml`, it is passed on to svg-check.ts, which decides.
 *
 * A rejection names what was declared and what was found ("declared application/pdf, but
 * the bytes are image/png").
 */
export async function sniffType(path: string, declaredContentType: string): Promise<Sniffed | Rejection> {
  const declared = normalizeContentType(declaredContentType);
  const declaredType = allowedType(declared);
  if (!declaredType) return rejected(`declared ${declared}, which is not an allowed type`);

  const detected = await detect(path);
  if (detected instanceof Error) return rejected(`the bytes could not be examined (${detected.message})`);

  if (detected) {
    const found = normalizeContentType(detected.mime);
    if (found === declared && declaredType.handling !== 'text') return { outcome: 'allowed', type: declaredType };
    if (declaredType.handling === 'svg' && found === 'application/xml') return { outcome: 'allowed', type: declaredType };
    return rejected(`declared ${declared}, but the bytes are ${found}`);
  }

  if (declaredType.handling === 'svg') return { outcome: 'allowed', type: declaredType };

  const text = await inspectText(path);
  if (declaredType.handling === 'text') {
    if (text.kind === 'binary') return rejected(`declared ${declared}, but the bytes are not text: ${text.why}`);
    if (text.kind === 'markup') return rejected(`declared ${declared}, but the bytes are markup (${text.found} near the start)`);
    return { outcome: 'allowed', type: declaredType };
  }
  switch (text.kind) {
    case 'markup':
      return rejected(`declared ${declared}, but the bytes are markup (${text.found} near the start)`);
    case 'text':
      return rejected(`declared ${declared}, but the bytes are plain text`);
    case 'binary':
      return rejected(`declared ${declared}, but the bytes are of no type we recognise`);
  }
}

/**
 * file-type's answer, or the error it threw on these bytes. Errors from the file system
 * (they carry a `code`) are not the file's fault and are thrown for the job to retry; any
 * other error is a parser giving up on the bytes, which is.
 */
async function detect(path: string) {
  try {
    return await fileTypeFromFile(path);
  } catch (error) {
    if (error instanceof Error && !('code' in error)) return error;
    throw error;
  }
}
