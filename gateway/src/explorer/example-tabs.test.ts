import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, test } from 'vitest';
import { exampleOperations, exampleTabs, headersTemplate } from '../../explorer/src/example-tabs.ts';
import { defaultSupergraphPath } from '../config.ts';

/** The schema clients see, built from the supergraph as the gateway builds it. */
let apiSchema: GraphQLSchema;
beforeAll(async () => {
  const sdl = await readFile(defaultSupergraphPath, 'utf8');
  apiSchema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
});

describe("the explorer's example operations", () => {
  test.each(exampleOperations.map((operation) => [operation.match(/^(mutation|query|subscription) \w+/m)![0], operation]))(
    '%s is valid against the supergraph',
    (_name, operation) => {
      expect(validate(apiSchema, parse(operation)).map((error) => error.message)).toEqual([]);
    },
  );

  test('cover a sign-up, an organization, the dashboard and a subscription, one tab each', () => {
    const roots = exampleTabs.map((tab) => parse(tab.query).definitions.map((node) => ('operation' in node ? node.operation : '')));
    expect(roots).toEqual([['mutation'], ['mutation'], ['query'], ['subscription']]);
  });

  test('start with headers that send nothing until the Authorization line is uncommented', () => {
    const sent = headersTemplate.replace(/\/\/.*$/gm, '');
    expect(JSON.parse(sent)).toEqual({});
    expect(headersTemplate).toContain('"Authorization": "Bearer <accessToken>"');
  });
});
