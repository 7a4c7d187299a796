import { AsyncLocalStorage } from 'node:async_hooks';
import type { Claims } from './claims.ts';

/**
 * The chain of workflow runs behind the request being served, so that an event a domain
 * records while serving it (see `recordWebhookEvent`) carries it, and the workflows service
 * can stop a workflow that triggers itself (or two that trigger each other) after a few
 * rounds. Held for the request's whole async flow, like the active trace context.
 */
const storage = new AsyncLocalStorage<readonly string[]>();

const none: readonly string[] = Object.freeze([]);

/** The chain a request's claims carry: its workflow run's, or none. */
export function causationOf(claims: Claims): readonly string[] {
  return claims.actor.type === 'user' ? (claims.actor.delegation?.workflow?.causation ?? none) : none;
}

/** Runs `serve` with the request's chain as the current one. */
export function withCausation<T>(claims: Claims, serve: () => T): T {
  const chain = causationOf(claims);
  return chain.length === 0 ? serve() : storage.run(chain, serve);
}

/** The chain of the request being served; empty outside a workflow's request. */
export function currentCausation(): readonly string[] {
  return storage.getStore() ?? none;
}
