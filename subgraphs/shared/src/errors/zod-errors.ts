import type { z } from 'zod';
import { BadUserInputError } from './errors.ts';

/**
 * Parses input with a zod schema, turning the first problem into a BAD_USER_INPUT error
 * that names the field (`input.slug`, `layouts.lg[0].w`, …).
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  fieldPrefix?: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = formatPath([...(fieldPrefix ? [fieldPrefix] : []), ...issue.path]);
  throw new BadUserInputError(path ? `${path}: ${issue.message}` : issue.message, {
    ...(path ? { field: path } : {}),
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
