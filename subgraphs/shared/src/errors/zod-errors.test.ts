import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseInput } from './zod-errors.ts';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { message: error.message, extensions: error.extensions };
  }
  throw new Error('expected a GraphQLError');
}

const gridItem = z.object({ i: z.string(), w: z.number().min(1, 'must be at least 1') });
const layouts = z.record(z.string(), z.array(gridItem));
const input = z.object({ slug: z.string().min(3, 'must be at least 3 characters'), name: z.string().trim() });

describe('parseInput', () => {
  test('returns the parsed data, transformations included', () => {
    expect(parseInput(input, { slug: 'acme', name: '  Acme  ' })).toEqual({ slug: 'acme', name: 'Acme' });
  });

  test('names a field under the prefix as `input.slug`', () => {
    expect(refusal(() => parseInput(input, { slug: 'a', name: 'Acme' }, 'input'))).toEqual({
      message: 'input.slug: must be at least 3 characters',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.slug' },
    });
  });

  test('writes array indexes in brackets, as in `layouts.lg[0].w`', () => {
    const value = { lg: [{ i: 'chart', w: 0 }] };
    expect(refusal(() => parseInput(layouts, value, 'layouts'))).toEqual({
      message: 'layouts.lg[0].w: must be at least 1',
      extensions: { code: 'BAD_USER_INPUT', field: 'layouts.lg[0].w' },
    });
  });

  test('starts the path with the first key when there is no prefix', () => {
    expect(refusal(() => parseInput(input, { slug: 'a', name: 'Acme' }))).toEqual({
      message: 'slug: must be at least 3 characters',
      extensions: { code: 'BAD_USER_INPUT', field: 'slug' },
    });
  });

  test('names the prefix itself when the whole value is wrong', () => {
    expect(refusal(() => parseInput(z.string('must be text'), 42, 'title'))).toEqual({
      message: 'title: must be text',
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
  });

  test('gives only the message, and no field, when there is neither prefix nor path', () => {
    expect(refusal(() => parseInput(z.string('must be text'), 42))).toEqual({
      message: 'must be text',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test('reports only the first problem', () => {
    const error = refusal(() => parseInput(input, { slug: 'a' }, 'input'));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.slug' });
  });
});
