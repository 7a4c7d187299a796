import { describe, expect, test } from 'vitest';
import { mediaReferencesIn } from './media-references.ts';
import { parsePageDocument } from './page-document.ts';

const media = { type: 'string', format: 'media', maxLength: 36 };
const [a, b, c] = ['0196a3c2-7e1b-7c4d-9f00-00000000000a', '0196a3c2-7e1b-7c4d-9f00-00000000000b', '0196a3c2-7e1b-7c4d-9f00-00000000000c'];

const components = new Map<string, { propsSchema: unknown }>([
  ['Picture', { propsSchema: { type: 'object', properties: { image: media, caption: { type: 'string' } } } }],
  [
    'Gallery',
    {
      propsSchema: {
        type: 'object',
        definitions: { slide: { type: 'object', properties: { image: { $ref: '#/definitions/picture' }, next: { $ref: '#/definitions/slide' } } }, picture: media },
        properties: { slides: { type: 'array', items: { $ref: '#/definitions/slide' } }, first: { $ref: '#/definitions/slide' } },
        patternProperties: { '^cover': media },
        additionalProperties: { type: 'object', properties: { background: media } },
      },
    },
  ],
]);

const document = (children: unknown[]) => parsePageDocument({ type: 'root', children });

describe('mediaReferencesIn', () => {
  test('finds each media prop with its place, in document order', () => {
    const tree = document([
      { id: 'p', component: 'Picture', props: { image: a, caption: b } },
      { id: 'g', component: 'Gallery', children: [{ id: 'q', component: 'Picture', props: { image: c } }], props: { slides: [{ image: b }, { image: c }], coverLeft: a, theme: { background: b } } },
    ]);
    expect(mediaReferencesIn(tree, components)).toEqual([
      { field: 'document.children[0].props.image', id: a },
      { field: 'document.children[1].props.slides[0].image', id: b },
      { field: 'document.children[1].props.slides[1].image', id: c },
      { field: 'document.children[1].props.coverLeft', id: a },
      { field: 'document.children[1].props.theme.background', id: b },
      { field: 'document.children[1].children[0].props.image', id: c },
    ]);
  });

  test('follows recursive definitions as deep as the value goes', () => {
    const tree = document([{ id: 'g', component: 'Gallery', props: { first: { image: a, next: { next: { image: b } } } } }]);
    expect(mediaReferencesIn(tree, components)).toEqual([
      { field: 'document.children[0].props.first.image', id: a },
      { field: 'document.children[0].props.first.next.next.image', id: b },
    ]);
  });

  test('ignores strings in other props, and nodes of unknown components', () => {
    const tree = document([
      { id: 'p', component: 'Picture', props: { caption: a } },
      { id: 'x', component: 'Unknown', props: { image: a } },
    ]);
    expect(mediaReferencesIn(tree, components)).toEqual([]);
  });
});
