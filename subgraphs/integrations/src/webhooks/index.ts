/**
 * Reliable delivery of signed webhooks: one delivery attempt behind the SSRF guard, and the
 * retry schedule between attempts. The signature and the guard themselves live in
 * @token-nexus/shared (workflows' httpRequest steps use them too). Storage of endpoints,
 * messages and attempts belongs to the caller; this file only re-exports.
 */
export * from './retry-schedule.ts';
export * from './deliver.ts';
