import type { MediaKind } from '@token-nexus/prisma';
import { acceptedTypes, canonicalType } from './accepted-types.ts';

/**
 * How processing treats an accepted type:
 * - `raster`: decoded by sharp, re-encoded without metadata, with WebP sizes;
 * - `svg`: served as uploaded once it is found clean (svg-check.ts);
 * - `text`: file-type cannot recognise text, so it is accepted on what it is not
 *   (text-check.ts);
 * - `file`: recognised from its magic number and stored as it is.
 */
export type Handling = 'raster' | 'svg' | 'text' | 'file';

export interface AllowedType {
  /** The canonical name (aliases resolved, no parameters). */
  contentType: string;
  kind: MediaKind;
  handling: Handling;
}

/**
 * The accepted type a content type names, or undefined. The types, their kinds and their
 * aliases are one table, accepted-types.ts (createMediaUpload refuses what it does not
 * list); processing only adds how each is handled, which follows from the type.
 */
export function allowedType(contentType: string): AllowedType | undefined {
  const canonical = canonicalType(contentType);
  if (!Object.hasOwn(acceptedTypes, canonical)) return undefined;
  const kind = acceptedTypes[canonical]!;
  return { contentType: canonical, kind, handling: handlingOf(canonical, kind) };
}

/** A content type as the table names it: lower case, no parameters, aliases resolved. */
export const normalizeContentType = canonicalType;

function handlingOf(contentType: string, kind: MediaKind): Handling {
  if (contentType === 'image/svg+xml') return 'svg';
  if (kind === 'IMAGE') return 'raster';
  if (contentType.startsWith('text/')) return 'text';
  return 'file';
}
