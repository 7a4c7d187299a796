import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, test } from 'vitest';
import { applyCors } from './cors.ts';

/** A response that records what was done to it. */
function fakeResponse() {
  const recorded = { headers: new Map<string, string>(), status: undefined as number | undefined, ended: false };
  const response = {
    setHeader(name: string, value: string) {
      recorded.headers.set(name.toLowerCase(), value);
      return response;
    },
    writeHead(status: number) {
      recorded.status = status;
      return response;
    },
    end() {
      recorded.ended = true;
      return response;
    },
  };
  return { response: response as unknown as ServerResponse, recorded };
}

function fakeRequest(method: string, origin?: string) {
  return { method, headers: origin === undefined ? {} : { origin } } as unknown as IncomingMessage;
}

const allowed = ['https://app.example.com'];

describe('applyCors', () => {
  test('reflects an allowed origin and lets it read the request id', () => {
    const { response, recorded } = fakeResponse();
    expect(applyCors(fakeRequest('POST', 'https://app.example.com'), response, allowed)).toBe(false);
    expect(recorded.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(recorded.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(recorded.headers.get('vary')).toBe('origin');
  });

  test('gives a disallowed origin no allow-origin header', () => {
    const { response, recorded } = fakeResponse();
    expect(applyCors(fakeRequest('POST', 'https://evil.example'), response, allowed)).toBe(false);
    expect(recorded.headers.has('access-control-allow-origin')).toBe(false);
    expect(recorded.headers.get('vary')).toBe('origin');
  });

  test('allows any origin when the list holds `*`, reflecting the origin itself', () => {
    const { response, recorded } = fakeResponse();
    applyCors(fakeRequest('GET', 'http://localhost:5173'), response, ['*']);
    expect(recorded.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  test('sets no allow-origin header for a request without an Origin, even with `*`', () => {
    const { response, recorded } = fakeResponse();
    applyCors(fakeRequest('GET'), response, ['*']);
    expect(recorded.headers.has('access-control-allow-origin')).toBe(false);
  });

  test('leaves a non-preflight request unanswered for the caller to handle', () => {
    const { response, recorded } = fakeResponse();
    expect(applyCors(fakeRequest('POST', 'https://app.example.com'), response, allowed)).toBe(false);
    expect(recorded.status).toBeUndefined();
    expect(recorded.ended).toBe(false);
  });

  test('answers the preflight of an allowed origin with 204 and the allowed methods and headers', () => {
    const { response, recorded } = fakeResponse();
    expect(applyCors(fakeRequest('OPTIONS', 'https://app.example.com'), response, allowed)).toBe(true);
    expect(recorded.status).toBe(204);
    expect(recorded.ended).toBe(true);
    expect(recorded.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(recorded.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(recorded.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(recorded.headers.get('access-control-max-age')).toBe('600');
  });

  test('answers the preflight of a disallowed origin with 204 but grants nothing', () => {
    const { response, recorded } = fakeResponse();
    expect(applyCors(fakeRequest('OPTIONS', 'https://evil.example'), response, allowed)).toBe(true);
    expect(recorded.status).toBe(204);
    expect(recorded.ended).toBe(true);
    expect([...recorded.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});
