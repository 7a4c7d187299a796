export * from './burst-counter.ts';
export * from './redis-burst-counter.ts';
export * from './resilient-burst-counter.ts';
export * from './create-burst-counter.ts';
