import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { ajv, assertValidPropsSchema, compileFresh, errorPath, pointerToPath } from './props-schema.ts';

function refusal(schema: unknown): [unknown, string] {
  try {
    assertValidPropsSchema(schema);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    return [error.extensions.field, error.message];
  }
  throw new Error('expected a BAD_USER_INPUT');
}

const cardSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 80 },
    link: { type: 'string', format: 'uri', maxLength: 2048 },
    tags: { type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 5 },
  },
  required: ['title'],
  additionalProperties: false,
};

describe('assertValidPropsSchema', () => {
  test('accepts a draft-07 schema with formats, local references and definitions', () => {
    const schema = {
      type: 'object',
      definitions: { colour: { enum: ['red', 'blue'] } },
      properties: { colour: { $ref: '#/definitions/colour' }, when: { type: 'string', format: 'date', maxLength: 10 } },
    };
    expect(assertValidPropsSchema(schema)).toBe(schema);
    expect(assertValidPropsSchema(cardSchema)).toBe(cardSchema);
  });

  test('refuses what is not a JSON Schema object, naming where', () => {
    expect(refusal([])).toEqual(['input.propsSchema', 'input.propsSchema: must be a JSON Schema object']);
    expect(refusal({ properties: { a: { type: 'strnig' } } })[0]).toBe('input.propsSchema.properties.a.type');
    expect(refusal({ required: 'title' })[0]).toBe('input.propsSchema.required');
  });

  test('refuses unknown keywords and formats rather than ignoring them', () => {
    expect(refusal({ type: 'string', maxLenght: 3 })[1]).toContain('unknown keyword: "maxLenght"');
    expect(refusal({ type: 'string', format: 'colour', maxLength: 7 })[1]).toContain('unknown format "colour"');
  });

  test('refuses patterns and formats without a maxLength, which could make validating slow', () => {
    const [field, message] = refusal({ type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } });
    expect(field).toBe('input.propsSchema.properties.code');
    expect(message).toContain("must have required property 'maxLength'");
  });

  test('refuses $id anywhere and references it cannot resolve', () => {
    expect(refusal({ definitions: { x: { $id: 'https://example.com/x' } } })[0]).toBe('input.propsSchema.definitions.x.$id');
    expect(refusal({ properties: { a: { $ref: 'https://example.com/other.json' } } })[1]).toContain("can't resolve reference");
  });

  test('refuses a schema larger than 64 KiB or nested too deeply', () => {
    const large = { type: 'object', description: 'x'.repeat(64 * 1024) };
    expect(refusal(large)[1]).toContain('at most 64 KiB');
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 40; level++) deep = { type: 'array', items: deep, maxItems: 1 };
    expect(refusal(deep)[1]).toContain('nested too deeply');
  });
});

describe('compileFresh', () => {
  test("leaves nothing in the shared Ajv's own cache", () => {
    const before = (ajv as unknown as { _cache: Map<unknown, unknown> })._cache.size;
    for (let index = 0; index < 50; index++) compileFresh({ type: 'object', properties: { [`p${index}`]: { type: 'string' } } });
    expect((ajv as unknown as { _cache: Map<unknown, unknown> })._cache.size).toBe(before);
  });
});

describe('errorPath', () => {
  const validate = compileFresh(cardSchema);
  const pathOf = (props: unknown) => {
    expect(validate(props)).toBe(false);
    return [errorPath(validate.errors![0]!, props), validate.errors![0]!.message];
  };

  test('points at the value at fault, the missing property or the one not allowed', () => {
    expect(pathOf({ title: 3 })).toEqual(['.title', 'must be string']);
    expect(pathOf({})).toEqual(['.title', "must have required property 'title'"]);
    expect(pathOf({ title: 'T', colour: 'red' })).toEqual(['.colour', 'must NOT have additional properties']);
    expect(pathOf({ title: 'T', tags: ['ok', 7] })).toEqual(['.tags[1]', 'must be string']);
  });
});

describe('pointerToPath', () => {
  test('writes array steps as [i] and unescapes ~1 and ~0', () => {
    const data = { items: [{ 'a/b': { '~c': 1 } }], '0': { x: 1 } };
    expect(pointerToPath('', data)).toBe('');
    expect(pointerToPath('/items/0/a~1b/~0c', data)).toBe('.items[0].a/b.~c');
    expect(pointerToPath('/0/x', data)).toBe('.0.x');
  });
});
