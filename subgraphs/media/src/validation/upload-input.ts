import type { MediaKind } from '@token-nexus/prisma';
import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import { canonicalType, kindOfDeclaredType } from '../processing/accepted-types.ts';

/** What createMediaUpload was given, checked and normalized. */
export interface UploadInput {
  filename: string;
  contentType: string;
  kind: MediaKind;
  byteSize: number;
  sha256: string;
  title: string;
  alt: string;
}

const controlOrSeparator = /[\p{Cc}/\\]+/gu;

/**
 * A filename as it is kept and offered back: path separators and control characters
 * (which could climb out of a folder on a user's disk, or split a header) become `_`, and
 * leading dots go (no hidden files, no `..`). Never empty.
 */
export function cleanFilename(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(controlOrSeparator, '_').replace(/^[.\s]+/, '').trim().slice(0, 255);
  return cleaned === '' ? 'file' : cleaned;
}

const shape = z.object({
  filename: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  contentType: z.string().min(3).max(100),
  byteSize: z.number().int('must be a whole number of bytes'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the file in hex (64 characters)'),
  title: z.string().max(200, 'must be at most 200 characters').nullish(),
  alt: z.string().max(1000, 'must be at most 1,000 characters').nullish(),
});

/** Checks createMediaUpload's input; BAD_USER_INPUT names the field at fault. */
export function parseUploadInput(raw: unknown, maxBytes: number): UploadInput {
  const input = parseInput(shape, raw, 'input');
  const contentType = canonicalType(input.contentType);
  const kind = kindOfDeclaredType(contentType);
  if (!kind) {
    throw new BadUserInputError(`input.contentType: ${contentType} is not a type media accepts (see MediaKind).`, { field: 'input.contentType' });
  }
  if (input.byteSize < 1 || input.byteSize > maxBytes) {
    throw new BadUserInputError(`input.byteSize: must be from 1 to ${maxBytes} bytes.`, { field: 'input.byteSize' });
  }
  return {
    filename: cleanFilename(input.filename),
    contentType,
    kind,
    byteSize: input.byteSize,
    sha256: input.sha256.toLowerCase(),
    title: input.title ?? '',
    alt: input.alt ?? '',
  };
}

const updateShape = z.object({
  title: z.string().max(200, 'must be at most 200 characters').nullish(),
  alt: z.string().max(1000, 'must be at most 1,000 characters').nullish(),
});

/** Checks updateMediaAsset's input: only the fields given change. */
export function parseUpdateInput(raw: unknown): { title?: string; alt?: string } {
  const input = parseInput(updateShape, raw, 'input');
  return { ...(input.title != null ? { title: input.title } : {}), ...(input.alt != null ? { alt: input.alt } : {}) };
}
