import { describe, expect, test } from 'vitest';
import { acceptedTypes } from './accepted-types.ts';
import { allowedType } from './allowed-types.ts';
import { rasterContentTypes } from './image-variants.ts';

describe('the types processing handles', () => {
  test('every accepted image but SVG is one processing can make variants of', () => {
    const rasters = Object.keys(acceptedTypes).filter((type) => allowedType(type)?.handling === 'raster');

    expect(rasters.length).toBeGreaterThan(0);
    expect(rasters.filter((type) => !rasterContentTypes.includes(type))).toEqual([]);
    expect(allowedType('image/svg+xml')).toEqual({ contentType: 'image/svg+xml', kind: 'IMAGE', handling: 'svg' });
  });

  test('a declared type is read without parameters, case or alias', () => {
    expect(allowedType('Text/CSV; charset=UTF-8')).toEqual({ contentType: 'text/csv', kind: 'DOCUMENT', handling: 'text' });
    expect(allowedType('image/jpg')).toMatchObject({ contentType: 'image/jpeg', handling: 'raster' });
    expect(allowedType('audio/x-wav')).toEqual({ contentType: 'audio/wav', kind: 'AUDIO', handling: 'file' });
  });

  test('a name that is not a type is not accepted, even one every object has', () => {
    expect(allowedType('application/x-msdownload')).toBeUndefined();
    expect(allowedType('constructor')).toBeUndefined();
    expect(allowedType('__proto__')).toBeUndefined();
  });
});
