import type { MediaKind } from '@token-nexus/prisma';

/** Every type media accepts, with its kind; anything else is refused when declared and rejected when found. */
export const acceptedTypes: Readonly<Record<string, MediaKind>> = {
  'image/jpeg': 'IMAGE',
  'image/png': 'IMAGE',
  'image/webp': 'IMAGE',
  'image/gif': 'IMAGE',
  'image/avif': 'IMAGE',
  'image/svg+xml': 'IMAGE',
  'application/pdf': 'DOCUMENT',
  'text/plain': 'DOCUMENT',
  'text/csv': 'DOCUMENT',
  'video/mp4': 'VIDEO',
  'video/webm': 'VIDEO',
  'audio/mpeg': 'AUDIO',
  'audio/ogg': 'AUDIO',
  'audio/wav': 'AUDIO',
};

/** Other names clients use for the same types. */
export const typeAliases: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
};

/** The canonical name of a declared type (its alias resolved, parameters dropped, lower case). */
export function canonicalType(contentType: string): string {
  const bare = contentType.toLowerCase().split(';')[0]!.trim();
  return Object.hasOwn(typeAliases, bare) ? typeAliases[bare]! : bare;
}

/** The kind of a declared type, or null when media does not accept it. */
export function kindOfDeclaredType(contentType: string): MediaKind | null {
  const type = canonicalType(contentType);
  return Object.hasOwn(acceptedTypes, type) ? acceptedTypes[type]! : null;
}
