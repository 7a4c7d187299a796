import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { clientAddress } from './client-address.ts';

function request(
  forwardedFor: string | string[] | undefined,
  socket: { remoteAddress?: string } = { remoteAddress: '10.0.0.9' },
) {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { headers, socket } as unknown as IncomingMessage;
}

describe('clientAddress', () => {
  test('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress(request('198.51.100.1'), 0)).toBe('10.0.0.9');
  });

  test('takes the rightmost entry behind one proxy', () => {
    expect(clientAddress(request('198.51.100.1, 203.0.113.5'), 1)).toBe('203.0.113.5');
  });

  test('takes the second entry from the right behind two proxies', () => {
    expect(clientAddress(request('198.51.100.1, 203.0.113.5, 10.0.0.2'), 2)).toBe('203.0.113.5');
  });

  test('ignores entries the client added on the left', () => {
    expect(clientAddress(request('1.1.1.1, 6.6.6.6, 203.0.113.5'), 1)).toBe('203.0.113.5');
  });

  test('reads repeated X-Forwarded-For headers as one list', () => {
    expect(clientAddress(request(['198.51.100.1', '203.0.113.5, 10.0.0.2']), 2)).toBe('203.0.113.5');
  });

  test('falls back to the socket address when there are fewer entries than proxies', () => {
    expect(clientAddress(request('203.0.113.5'), 2)).toBe('10.0.0.9');
  });

  test('falls back to the socket address when the header is missing or empty', () => {
    expect(clientAddress(request(undefined), 1)).toBe('10.0.0.9');
    expect(clientAddress(request(' , '), 1)).toBe('10.0.0.9');
  });

  test('cuts an absurdly long entry to 64 characters', () => {
    expect(clientAddress(request('x'.repeat(500)), 1)).toBe('x'.repeat(64));
  });

  test('returns null when the socket has no address and no forwarded one applies', () => {
    expect(clientAddress(request(undefined, {}), 0)).toBeNull();
  });
});
