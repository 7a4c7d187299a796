/** The API reference's generator, for `pnpm docs` and the tests that keep the reference true. */
export * from './api-schema.ts';
export * from './undescribed-elements.ts';
