import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { documentLimits, parsePageDocument, placedNodes } from './page-document.ts';

/** The field and message of the BAD_USER_INPUT `run` throws. */
function refusal(run: () => unknown): [unknown, string] {
  try {
    run();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    return [error.extensions.field, error.message];
  }
  throw new Error('expected a BAD_USER_INPUT');
}

const node = (id: string, children: unknown[] = []) => ({ id, component: 'Box', props: {}, children });

/** A chain of `levels` nodes, each the only child of the one before. */
function chain(levels: number) {
  let current = node(`n${levels}`);
  for (let level = levels - 1; level >= 1; level--) current = node(`n${level}`, [current]);
  return { type: 'root', children: [current] };
}

describe('parsePageDocument', () => {
  test('accepts a tree and fills in omitted props and children', () => {
    const document = parsePageDocument({ type: 'root', children: [{ id: 'a', component: 'Hero' }] });
    expect(document).toEqual({ type: 'root', children: [{ id: 'a', component: 'Hero', props: {}, children: [] }] });
  });

  test('names the place of a shape problem', () => {
    expect(refusal(() => parsePageDocument({ type: 'root', children: [node('a', [{ id: 'b' }])] }))).toEqual([
      'document.children[0].children[0].component',
      expect.stringContaining('document.children[0].children[0].component:'),
    ]);
    expect(refusal(() => parsePageDocument({ type: 'root', children: [{ ...node('a'), props: [] }] }))[0]).toBe(
      'document.children[0].props',
    );
    expect(refusal(() => parsePageDocument({ type: 'root', children: [{ ...node('a'), style: 'x' }] }))[0]).toBe(
      'document.children[0]',
    );
    expect(refusal(() => parsePageDocument('root'))[0]).toBe('document');
  });

  test('refuses a node id used twice, naming the second', () => {
    expect(refusal(() => parsePageDocument({ type: 'root', children: [node('a'), node('b', [node('a')])] }))).toEqual([
      'document.children[1].children[0].id',
      'document.children[1].children[0].id: "a" is the id of another node of the page',
    ]);
  });

  test(`allows ${documentLimits.maxDepth} levels of nodes, not one more`, () => {
    expect(() => parsePageDocument(chain(documentLimits.maxDepth))).not.toThrow();
    const [field, message] = refusal(() => parsePageDocument(chain(documentLimits.maxDepth + 1)));
    expect(field).toBe(`document${'.children[0]'.repeat(documentLimits.maxDepth + 1)}`);
    expect(message).toContain('at most 20 levels');
  });

  test(`allows ${documentLimits.maxNodes} nodes, not one more`, () => {
    const nodes = (count: number) => Array.from({ length: count }, (_, index) => node(`n${index}`));
    expect(() => parsePageDocument({ type: 'root', children: nodes(documentLimits.maxNodes) })).not.toThrow();
    expect(refusal(() => parsePageDocument({ type: 'root', children: nodes(documentLimits.maxNodes + 1) }))).toEqual([
      'document',
      'document: must have at most 2000 nodes (it has 2001)',
    ]);
  });

  test('refuses more than 512 KiB of JSON', () => {
    const sized = (bytes: number) => {
      const document = { type: 'root', children: [{ ...node('a'), props: { text: '' } }] };
      const overhead = Buffer.byteLength(JSON.stringify(document));
      document.children[0]!.props.text = 'x'.repeat(bytes - overhead);
      return document;
    };
    expect(() => parsePageDocument(sized(documentLimits.maxBytes))).not.toThrow();
    expect(refusal(() => parsePageDocument(sized(documentLimits.maxBytes + 1)))).toEqual([
      'document',
      'document: must be at most 512 KiB of JSON',
    ]);
  });

  test('refuses hostile nesting before anything recursive walks it', () => {
    let deep: unknown = {};
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    const document = { type: 'root', children: [{ ...node('a'), props: { deep } }] };
    expect(refusal(() => parsePageDocument(document))).toEqual(['document', 'document: is nested too deeply']);
  });

  test('uses the field it is given for a document from elsewhere', () => {
    expect(refusal(() => parsePageDocument({ type: 'x' }, 'template.document'))[0]).toBe('template.document.type');
  });
});

describe('placedNodes', () => {
  test('lists parents before children, in document order, with their paths and depths', () => {
    const document = parsePageDocument({ type: 'root', children: [node('a', [node('b'), node('c')]), node('d')] });
    expect(placedNodes(document).map(({ node: placed, path, depth }) => [placed.id, path, depth])).toEqual([
      ['a', 'document.children[0]', 1],
      ['b', 'document.children[0].children[0]', 2],
      ['c', 'document.children[0].children[1]', 2],
      ['d', 'document.children[1]', 1],
    ]);
  });
});
