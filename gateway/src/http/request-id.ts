import { randomUUID } from 'node:crypto';

export const requestIdHeader = 'x-request-id';

/**
 * The request's id: the caller's `x-request-id` when it is a sane token (so ids from a
 * load balancer or client carry through), otherwise a new UUID.
 */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}
