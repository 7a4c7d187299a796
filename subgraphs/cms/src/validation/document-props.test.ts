import { describe, expect, test } from 'vitest';
import { componentNamesIn, documentPropsProblem } from './document-props.ts';
import { parsePageDocument } from './page-document.ts';
import { PropsValidatorCache, type ComponentSchemaVersion } from './props-validators.ts';

const components = new Map<string, ComponentSchemaVersion>([
  ['Hero', { id: 'hero', version: 1, propsSchema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } }],
  ['Section', { id: 'section', version: 1, propsSchema: { type: 'object', additionalProperties: false } }],
]);

const document = (children: unknown[]) => parsePageDocument({ type: 'root', children });

describe('documentPropsProblem', () => {
  const validators = new PropsValidatorCache();

  test('finds nothing wrong when every node matches its component', () => {
    const tree = document([{ id: 's', component: 'Section', children: [{ id: 'h', component: 'Hero', props: { title: 'Hi' } }] }]);
    expect(documentPropsProblem(tree, components, validators)).toBeNull();
  });

  test('names the first node whose props do not match, in document order', () => {
    const tree = document([
      { id: 'h1', component: 'Hero', props: { title: 'ok' } },
      { id: 's', component: 'Section', children: [{ id: 'h2', component: 'Hero', props: { title: 1 } }] },
      { id: 'h3', component: 'Hero', props: {} },
    ]);
    expect(documentPropsProblem(tree, components, validators)).toEqual({
      field: 'document.children[1].children[0].props.title',
      message: 'must be string',
    });
  });

  test('names the props object itself when the problem is about it as a whole', () => {
    const tree = document([{ id: 's', component: 'Section', props: { colour: 'red' } }]);
    expect(documentPropsProblem(tree, components, validators)).toEqual({
      field: 'document.children[0].props.colour',
      message: 'must NOT have additional properties',
    });
  });

  test("checks a `form` node as the built-in form, unless the organization has a `form` component of its own", () => {
    const tree = document([{ id: 'f', component: 'form', props: { legacy: true } }]);
    expect(documentPropsProblem(tree, components, validators)?.field).toMatch(/^document\.children\[0\]\.props/);
    const ownForm = new Map(components).set('form', { id: 'own-form', version: 1, propsSchema: { type: 'object', properties: { legacy: { type: 'boolean' } } } });
    expect(documentPropsProblem(tree, ownForm, validators)).toBeNull();
  });

  test('refuses a component the organization does not have', () => {
    const tree = document([{ id: 'g', component: 'Gallery' }]);
    expect(documentPropsProblem(tree, components, validators)).toEqual({
      field: 'document.children[0].component',
      message: 'there is no component named "Gallery" in this organization',
    });
  });
});

describe('componentNamesIn', () => {
  test('lists each component a tree uses once', () => {
    const tree = document([
      { id: 'a', component: 'Hero', props: {} },
      { id: 'b', component: 'Section', children: [{ id: 'c', component: 'Hero' }] },
    ]);
    expect(componentNamesIn(tree)).toEqual(['Hero', 'Section']);
  });
});
