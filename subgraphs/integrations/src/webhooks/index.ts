/**
 * Signed webhooks with reliable delivery: the Standard Webhooks signature, one delivery
 * attempt behind the SSRF guard, and the retry schedule between attempts. Storage of
 * endpoints, messages and attempts belongs to the caller; this file only re-exports.
 */
export * from './signature.ts';
export * from './retry-schedule.ts';
export * from './ssrf-guard.ts';
export * from './deliver.ts';
