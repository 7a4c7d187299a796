export * from './window.ts';
export * from './rate-limit-store.ts';
export * from './redis-rate-limit-store.ts';
export * from './resilient-rate-limit-store.ts';
export * from './create-rate-limit-store.ts';
export * from './rate-limit-key.ts';
export * from './rate-limited-error.ts';
export * from './apply-rate-limits.ts';
