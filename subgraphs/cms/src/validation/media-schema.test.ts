import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { isMediaId, misplacedMediaFormat } from './media-schema.ts';
import { assertValidPropsSchema, compileFresh } from './props-schema.ts';

const media = { type: 'string', format: 'media', maxLength: 36 };

function refusedField(schema: unknown): unknown {
  try {
    assertValidPropsSchema(schema);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return error.extensions.field;
  }
  throw new Error('expected a BAD_USER_INPUT');
}

describe('the media format', () => {
  test('is a known format that accepts asset ids only', () => {
    const validate = compileFresh({ type: 'object', properties: { image: media } });
    expect(validate({ image: '0196a3c2-7e1b-7c4d-9f00-1234567890ab' })).toBe(true);
    expect(validate({ image: '0196A3C2-7E1B-7C4D-9F00-1234567890AB' })).toBe(false);
    expect(validate({ image: 'https://example.com/cat.png' })).toBe(false);
    expect(isMediaId('00000000-0000-0000-0000-000000000000')).toBe(false);
  });

  test('needs a maxLength like every format', () => {
    expect(refusedField({ type: 'object', properties: { image: { type: 'string', format: 'media' } } })).toBe('input.propsSchema.properties.image');
  });

  test('may sit in properties, items, additionalProperties, allOf and definitions', () => {
    const schema = {
      type: 'object',
      definitions: { picture: media },
      properties: {
        hero: { $ref: '#/definitions/picture' },
        gallery: { type: 'array', items: media, maxItems: 10 },
        slides: { type: 'array', items: [media, { type: 'string', maxLength: 10 }], additionalItems: media, maxItems: 10 },
        byLocale: { type: 'object', additionalProperties: media },
        both: { allOf: [media, { minLength: 36 }] },
      },
    };
    expect(misplacedMediaFormat(schema)).toBeNull();
    expect(assertValidPropsSchema(schema)).toBe(schema);
  });

  test('may not sit where only the value decides whether it applies, itself or through a $ref', () => {
    expect(refusedField({ properties: { image: { oneOf: [media, { type: 'integer' }] } } })).toBe('input.propsSchema.properties.image.oneOf[0]');
    expect(
      refusedField({ definitions: { picture: media }, properties: { image: { anyOf: [{ $ref: '#/definitions/picture' }, { type: 'null' }] } } }),
    ).toBe('input.propsSchema.properties.image.anyOf[0]');
    expect(misplacedMediaFormat({ if: { properties: { kind: { const: 'a' } } }, then: { properties: { image: media } } })).toBe('.then.properties.image');
    // A nullable image says so with its type instead.
    expect(misplacedMediaFormat({ properties: { image: { ...media, type: ['string', 'null'] } } })).toBeNull();
  });
});
