/** The API reference's generator, for `pnpm docs` and the tests that keep the reference true. */
export * from './api-schema.ts';
export * from './undescribed-elements.ts';
export * from './generate-reference.ts';
export * from './supergraph-facts.ts';
export * from './domains.ts';
export { examples } from '../examples/index.ts';
export type { ApiExample } from '../examples/api-example.ts';
