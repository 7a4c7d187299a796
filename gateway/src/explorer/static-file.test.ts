import { describe, expect, test } from 'vitest';
import { cacheControlOf, contentTypeOf, fileIn } from './static-file.ts';

const directory = '/srv/explorer/dist';

describe('fileIn', () => {
  test('finds a file the build wrote, by its plain or percent-encoded name', () => {
    expect(fileIn(directory, 'app-4QZ2KX7M.js')).toBe('/srv/explorer/dist/app-4QZ2KX7M.js');
    expect(fileIn(directory, 'editor%2Eworker-5FREP3QA.js')).toBe('/srv/explorer/dist/editor.worker-5FREP3QA.js');
  });

  test.each([
    ['..'],
    ['.'],
    ['..%2F..%2Fpackage.json'],
    ['%2e%2e%2fconfig.ts'],
    ['..%5C..%5Cpackage.json'],
    ['sub/app.js'],
    ['.env'],
    ['app.js%00.png'],
    ['%E0%A4%A'],
    [''],
  ])('refuses %j, which is not a plain file name in the directory', (name) => {
    expect(fileIn(directory, name)).toBeNull();
  });
});

describe('contentTypeOf', () => {
  test('names scripts, styles, fonts and pages by their extension', () => {
    expect(contentTypeOf('app-4QZ2KX7M.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('app-4QZ2KX7M.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('codicon-37A3DWZT.ttf')).toBe('font/ttf');
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('notes.xyz')).toBe('application/octet-stream');
  });
});

describe('cacheControlOf', () => {
  test('caches a hashed name for good and revalidates any other', () => {
    expect(cacheControlOf('json.worker-JULOF53I.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('app.js')).toBe('no-cache');
  });
});
