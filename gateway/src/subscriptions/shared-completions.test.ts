import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, test, vi } from 'vitest';
import { SharedCompletions } from './shared-completions.ts';

const user = (userId: string) => ({ type: 'user' as const, userId });
const audience = (variables: Record<string, unknown>, userId = 'u1', query = 'subscription { x }') =>
  SharedCompletions.audience({ query, operationName: null, variables, actor: user(userId) });

describe('SharedCompletions', () => {
  test('an audience key changes with the operation, its variables and the actor', () => {
    const base = audience({ id: 1 });
    expect(audience({ id: 1 })).toBe(base);
    expect(audience({ id: 2 })).not.toBe(base);
    expect(audience({ id: 1 }, 'u2')).not.toBe(base);
    expect(audience({ id: 1 }, 'u1', 'subscription { y }')).not.toBe(base);
  });

  test('one completion per audience and event; other events and audiences complete their own', async () => {
    const shared = new SharedCompletions({ max: 100, ttlMs: 60_000 });
    const complete = vi.fn(async (): Promise<FormattedExecutionResult> => ({ data: { n: complete.mock.calls.length } }));
    const a = audience({});
    const b = audience({}, 'u2');
    const results = await Promise.all([
      shared.complete(a, { data: { e: 1 } }, complete),
      shared.complete(a, { data: { e: 1 } }, complete),
      shared.complete(a, { data: { e: 2 } }, complete),
      shared.complete(b, { data: { e: 1 } }, complete),
    ]);
    expect(complete).toHaveBeenCalledTimes(3);
    expect(results[0]).toBe(results[1]);
    expect(results[2]).not.toBe(results[0]);
    expect(results[3]).not.toBe(results[0]);
  });

  test('a failed completion is not handed on: the next subscriber tries again', async () => {
    const shared = new SharedCompletions({ max: 100, ttlMs: 60_000 });
    const a = audience({});
    await expect(shared.complete(a, { data: {} }, () => Promise.reject(new Error('identity is down')))).rejects.toThrow('identity is down');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(shared.complete(a, { data: {} }, async () => ({ data: { ok: true } }))).resolves.toEqual({ data: { ok: true } });
  });

  test('a completion is kept only briefly', async () => {
    const shared = new SharedCompletions({ max: 100, ttlMs: 20 });
    const complete = vi.fn(async (): Promise<FormattedExecutionResult> => ({ data: {} }));
    const a = audience({});
    await shared.complete(a, { data: {} }, complete);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await shared.complete(a, { data: {} }, complete);
    expect(complete).toHaveBeenCalledTimes(2);
  });

  test('counts completions made and shared', async () => {
    const metrics = { completion: vi.fn() };
    const shared = new SharedCompletions({ max: 100, ttlMs: 60_000 }, metrics);
    const a = audience({});
    await shared.complete(a, { data: {} }, async () => ({ data: {} }));
    await shared.complete(a, { data: {} }, async () => ({ data: {} }));
    expect(metrics.completion.mock.calls).toEqual([['completed'], ['shared']]);
  });
});
