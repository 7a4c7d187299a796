import {
  deliverWebhook,
  maxDeliveryAttempts,
  maxRetryAfterSeconds,
  nextAttemptDelay,
  parseRetryAfter,
  webhookRetrySchedule,
  type DeliverWebhookInput,
} from '@token-nexus/integrations/webhooks';
import {
  InvalidAllowListEntryError,
  InvalidWebhookSecretError,
  classifyAddress,
  generateSecret,
  parseAllowList,
  signPayload,
  type ResolveHost,
} from '@token-nexus/shared';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { startWebhookReceiver, type ReceivedRequest, type ReceiverHandler, type WebhookReceiver } from '../testkit/webhook-receiver.ts';
import { closedPort } from '../testkit/ports.ts';

const receivers: WebhookReceiver[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(handler?: ReceiverHandler, host?: string): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(handler, host);
  receivers.push(started);
  return started;
}

/** The allow-list entry that lets deliveries reach one local receiver, and only it. */
function allow(target: WebhookReceiver): string {
  return new URL(target.url).host;
}

const secret = generateSecret();

function message(overrides: Partial<DeliverWebhookInput> & Pick<DeliverWebhookInput, 'url'>): DeliverWebhookInput {
  return {
    id: `msg_${Math.random().toString(36).slice(2)}`,
    timestamp: Math.floor(Date.now() / 1000),
    body: JSON.stringify({ type: 'token.created', data: { symbol: 'NXS', supply: '1000000' } }),
    secrets: [secret],
    allowList: [],
    ...overrides,
  };
}

/** The three Standard Webhooks headers, as a receiver passes them to a verifier. */
function signatureHeaders(request: ReceivedRequest): Record<string, string> {
  const header = (name: string) => String(request.headers[name]);
  return {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  };
}

describe('signed delivery', () => {
  test('a delivery reaches an allow-listed receiver with the Standard Webhooks headers, and the standardwebhooks package verifies it', async () => {
    const target = await receiver();
    const sent = message({ url: `${target.url}/hooks`, allowList: [allow(target)] });

    const result = await deliverWebhook(sent);

    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 204, error: null, retryAfterSeconds: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(target.requests).toHaveLength(1);
    const [received] = target.requests as [ReceivedRequest];
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/hooks');
    expect(received.body).toBe(sent.body);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['user-agent']).toBe('TokenNexus-Webhooks/1');
    expect(received.headers['webhook-id']).toBe(sent.id);
    expect(received.headers['webhook-timestamp']).toBe(String(sent.timestamp));
    expect(new Webhook(secret).verify(received.body, signatureHeaders(received))).toEqual(JSON.parse(sent.body));
  });

  test('during a rotation, a receiver knowing only the old secret and one knowing only the new one both verify', async () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const target = await receiver();

    await deliverWebhook(message({ url: target.url, secrets: [oldSecret, newSecret], allowList: [allow(target)] }));

    const [received] = target.requests as [ReceivedRequest];
    expect(received.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(oldSecret).verify(received.body, signatureHeaders(received))).not.toThrow();
    expect(() => new Webhook(newSecret).verify(received.body, signatureHeaders(received))).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(received.body, signatureHeaders(received))).toThrow(
      WebhookVerificationError,
    );
  });

  test('a tampered body or id fails verification', async () => {
    const target = await receiver();
    await deliverWebhook(message({ url: target.url, allowList: [allow(target)] }));
    const [received] = target.requests as [ReceivedRequest];
    const headers = signatureHeaders(received);

    expect(() => new Webhook(secret).verify(received.body.replace('1000000', '9000000'), headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(received.body, { ...headers, 'webhook-id': 'msg_other' })).toThrow(
      WebhookVerificationError,
    );
  });

  test('the signature matches the Standard Webhooks reference vector', () => {
    // From the specification's reference libraries' tests.
    expect(
      signPayload({
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
        secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      }),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('a non-ASCII body is signed over its UTF-8 bytes, as receivers compute it', () => {
    const body = JSON.stringify({ name: 'Café ☕ 🚀' });
    const timestamp = 1_700_000_000;
    expect(signPayload({ id: 'msg_1', timestamp, body, secrets: [secret] })).toBe(
      new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body),
    );
  });

  test('generated secrets are whsec_ and 32 random bytes', () => {
    const first = generateSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(first);
  });

  test('malformed secrets are refused instead of signing with a key the receiver does not hold', () => {
    const sign = (secrets: string[]) => () => signPayload({ id: 'msg_1', timestamp: 1, body: '{}', secrets });
    expect(sign([])).toThrow(InvalidWebhookSecretError);
    // The base64 of 16 bytes: too short a key.
    expect(sign([`whsec_${Buffer.alloc(16, 1).toString('base64')}`])).toThrow(InvalidWebhookSecretError);
    // Without the prefix, and with a character base64 does not have (Node would skip it).
    expect(sign([secret.slice('whsec_'.length)])).toThrow(InvalidWebhookSecretError);
    expect(sign([`${secret.slice(0, 10)}-${secret.slice(11)}`])).toThrow(InvalidWebhookSecretError);
    expect(() => signPayload({ id: 'msg 1', timestamp: 1, body: '{}', secrets: [secret] })).toThrow(RangeError);
  });
});

describe('SSRF guard', () => {
  test('127.0.0.1 without an allow-list entry is refused and the receiver sees no request', async () => {
    const target = await receiver();
    const other = await receiver();

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(other)] }));

    expect(result).toMatchObject({ outcome: 'refused', statusCode: null });
    expect(result.error).toContain('loopback');
    expect(target.requests).toHaveLength(0);
  });

  test('the cloud metadata address is refused, even when a range around it is allow-listed', async () => {
    for (const allowList of [[], ['169.254.0.0/16'], ['metadata.internal']]) {
      const result = await deliverWebhook(
        message({
          url: 'http://169.254.169.254/latest/meta-data/',
          allowList,
          resolveHost: async () => [{ address: '169.254.169.254', family: 4 }],
        }),
      );
      expect(result).toMatchObject({ outcome: 'refused' });
      expect(result.error).toContain('cloud metadata');
    }
  });

  test('http://localhost is refused because it resolves to loopback', async () => {
    const target = await receiver();

    const result = await deliverWebhook(message({ url: `http://localhost:${target.port}/` }));

    expect(result.outcome).toBe('refused');
    expect(result.error).toMatch(/loopback address \(localhost resolves to it\)/);
    expect(target.requests).toHaveLength(0);
  });

  test('an IPv4-mapped IPv6 loopback address is refused', async () => {
    const target = await receiver();

    const url = `http://[::ffff:127.0.0.1]:${target.port}/`;

    const result = await deliverWebhook(message({ url }));

    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.error).toContain('loopback');
    expect(target.requests).toHaveLength(0);
    // It is the same destination as 127.0.0.1, so that address's entry (in either form) lets it through.
    for (const entry of [allow(target), `[::ffff:127.0.0.1]:${target.port}`, '::ffff:127.0.0.0/104']) {
      expect(await deliverWebhook(message({ url, allowList: [entry] }))).toMatchObject({ outcome: 'delivered' });
    }
    expect(target.requests).toHaveLength(3);
  });

  test('an IPv6 literal is checked like any address: delivered with its allow-list entry, refused without', async () => {
    const target = await receiver(undefined, '::1');

    const allowed = await deliverWebhook(message({ url: `${target.url}/v6`, allowList: [allow(target)] }));
    const refused = await deliverWebhook(message({ url: `${target.url}/v6` }));

    expect(allowed).toMatchObject({ outcome: 'delivered', statusCode: 204 });
    expect(refused).toMatchObject({ outcome: 'refused', error: '::1 is a loopback address' });
    expect(target.requests).toHaveLength(1);
  });

  test('a redirect from an allow-listed receiver to a private address that is not allow-listed is refused, and nothing reaches it', async () => {
    const internal = await receiver(undefined, '127.0.0.2');
    const entry = await receiver((_, response) => response.writeHead(307, { location: `${internal.url}/admin` }).end());

    const result = await deliverWebhook(message({ url: entry.url, allowList: [allow(entry)] }));

    expect(result).toMatchObject({ outcome: 'refused', statusCode: 307 });
    expect(result.error).toBe(`redirect to ${internal.url}: 127.0.0.2 is a loopback address`);
    expect(entry.requests).toHaveLength(1);
    expect(internal.requests).toHaveLength(0);
  });

  test('a 307 redirect to another allowed receiver is followed with the same body and signature', async () => {
    const final = await receiver(undefined, '127.0.0.2');
    const entry = await receiver((_, response) => response.writeHead(307, { location: `${final.url}/moved` }).end());

    const result = await deliverWebhook(message({ url: entry.url, allowList: [allow(entry), allow(final)] }));

    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 204 });
    const [received] = final.requests as [ReceivedRequest];
    expect(received).toMatchObject({ method: 'POST', path: '/moved', body: entry.requests[0]?.body });
    expect(() => new Webhook(secret).verify(received.body, signatureHeaders(received))).not.toThrow();
  });

  test('a 302 is not followed: it would turn the POST into a GET', async () => {
    const final = await receiver();
    const entry = await receiver((_, response) => response.writeHead(302, { location: final.url }).end());

    const result = await deliverWebhook(message({ url: entry.url, allowList: [allow(entry), allow(final)] }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: 302 });
    expect(result.error).toContain('redirect changes the method');
    expect(final.requests).toHaveLength(0);
  });

  test('a receiver redirecting forever fails after the redirect limit', async () => {
    const loop = await receiver((request, response) => response.writeHead(308, { location: request.path }).end());

    const result = await deliverWebhook(message({ url: loop.url, allowList: [allow(loop)], maxRedirects: 2 }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: 308, error: 'more than 2 redirects' });
    expect(loop.requests).toHaveLength(3);
  });

  test('every address a name resolves to is checked: one private address among public ones is refused', async () => {
    const result = await deliverWebhook(
      message({
        url: 'https://hooks.example.test/in',
        resolveHost: async () => [
          { address: '93.184.215.14', family: 4 },
          { address: '10.0.0.7', family: 4 },
        ],
      }),
    );

    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.error).toBe('10.0.0.7 is a private address (hooks.example.test resolves to it)');
  });

  test('a name is connected to the address that was checked, not resolved again (no DNS rebinding)', async () => {
    const target = await receiver();
    // First answer allowed, later answers the metadata address: a rebinding attack.
    const answers = ['127.0.0.1', '169.254.169.254'];
    let lookups = 0;
    const resolveHost: ResolveHost = async () => [{ address: answers[Math.min(lookups++, 1)]!, family: 4 }];

    const result = await deliverWebhook(
      message({ url: `http://rebind.example.test:${target.port}/`, allowList: [allow(target)], resolveHost }),
    );

    // The system resolver does not know the .test name: only the pinned address can have been used.
    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 204 });
    expect(lookups).toBe(1);
    expect(target.requests[0]?.headers.host).toBe(`rebind.example.test:${target.port}`);
  });

  test('only http and https URLs are delivered to', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'not a url']) {
      expect(await deliverWebhook(message({ url }))).toMatchObject({ outcome: 'refused' });
    }
  });

  test('addresses are classified by what they reach, IPv4 inside IPv6 included', () => {
    const cases: Array<[string, ReturnType<typeof classifyAddress>]> = [
      ['8.8.8.8', null],
      ['2606:4700:4700::1111', null],
      ['::ffff:8.8.8.8', null],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', null],
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private'],
      ['fdab:1234::1', 'private'],
      ['169.254.1.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['100.64.0.1', 'shared (CGNAT)'],
      ['100.127.255.255', 'shared (CGNAT)'],
      ['100.128.0.1', null],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['169.254.169.254', 'cloud metadata'],
      ['fd00:ec2::254', 'cloud metadata'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:169.254.169.254', 'cloud metadata'],
      ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
      ['2002:c0a8:0101::1', 'private'],
      ['240.0.0.1', 'reserved'],
    ];
    expect(cases.map(([address]) => [address, classifyAddress(address)])).toEqual(cases);
  });

  test('allow-list entries that cannot be read are configuration errors', () => {
    expect(parseAllowList(['127.0.0.1:43210', '127.0.0.1', '10.0.0.0/8', '[::1]:8080', 'hooks.internal:8443']).entries).toHaveLength(5);
    for (const entry of ['http://hooks.internal', '10.0.0.0/33', '127.0.0.1:99999', '[::1', 'bad host']) {
      expect(() => parseAllowList([entry])).toThrow(InvalidAllowListEntryError);
    }
  });
});

describe('receiver answers', () => {
  test('a 500 fails with its status, to be retried', async () => {
    const target = await receiver((_, response) => response.writeHead(500).end('database down'));

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(target)] }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: 500, responseBody: 'database down', error: 'HTTP 500' });
  });

  test('a 410 means the endpoint is gone', async () => {
    const target = await receiver((_, response) => response.writeHead(410).end());

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(target)] }));

    expect(result).toMatchObject({ outcome: 'gone', statusCode: 410 });
  });

  test('a 429 with Retry-After fails and reports the wait asked for', async () => {
    const target = await receiver((_, response) => response.writeHead(429, { 'retry-after': '120' }).end());

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(target)] }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: 429, retryAfterSeconds: 120 });
  });

  test('a receiver that never answers fails at the timeout', async () => {
    const target = await receiver(() => {});

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(target)], timeoutMs: 300 }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: null, error: 'no answer within 300 ms' });
    expect(target.requests).toHaveLength(1);
    expect(result.latencyMs).toBeGreaterThanOrEqual(295);
    expect(result.latencyMs).toBeLessThan(2000);
  });

  test('a 2xx whose body stalls counts as delivered at the deadline, with the part that arrived', async () => {
    const target = await receiver((_, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('accepted, ');
    });

    const result = await deliverWebhook(message({ url: target.url, allowList: [allow(target)], timeoutMs: 300 }));

    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 200, responseBody: 'accepted, ', error: null });
    expect(result.latencyMs).toBeLessThan(2000);
  });

  test('a closed port fails with the connection error', async () => {
    const port = await closedPort();

    const result = await deliverWebhook(message({ url: `http://127.0.0.1:${port}/`, allowList: [`127.0.0.1:${port}`] }));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: null, error: 'connection failed: ECONNREFUSED' });
  });

  test('a large response body is cut at the limit', async () => {
    const target = await receiver((_, response) => response.writeHead(200).end('x'.repeat(1_000_000)));

    const byDefault = await deliverWebhook(message({ url: target.url, allowList: [allow(target)] }));
    const small = await deliverWebhook(message({ url: target.url, allowList: [allow(target)], responseBodyLimit: 10 }));

    expect(byDefault).toMatchObject({ outcome: 'delivered', statusCode: 200, responseBody: 'x'.repeat(2048) });
    expect(small.responseBody).toBe('x'.repeat(10));
  });
});

describe('retry schedule', () => {
  const base = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

  test('the waits follow the schedule and the message is a dead letter after 8 attempts', () => {
    // The middle of the jitter range: no jitter at all.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(maxDeliveryAttempts).toBe(8);
    expect(webhookRetrySchedule[0]).toBe(0);
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => nextAttemptDelay(attempt))).toEqual(base);
    expect(nextAttemptDelay(8)).toBeNull();
    expect(nextAttemptDelay(9)).toBeNull();
  });

  test('jitter stays within ±10% and never goes below zero', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(nextAttemptDelay(1)).toBe(4_500);
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999_9);
    expect(nextAttemptDelay(1)).toBe(5_500);
    vi.restoreAllMocks();

    const samples = Array.from({ length: 2_000 }, () => nextAttemptDelay(2)!);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(270_000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(330_000);
    // Jitter actually spreads the retries.
    expect(new Set(samples).size).toBeGreaterThan(100);
    expect(nextAttemptDelay(1, { scale: 0 })).toBe(0);
  });

  test('scale shrinks the schedule for tests', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(nextAttemptDelay(2, { scale: 0.001 })).toBe(300);
  });

  test('a Retry-After longer than the schedule is honoured, up to a day; a shorter one is not', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(nextAttemptDelay(1, { retryAfterSeconds: 120 })).toBe(120_000);
    expect(nextAttemptDelay(3, { retryAfterSeconds: 120 })).toBe(1_800_000);
    expect(nextAttemptDelay(1, { retryAfterSeconds: 7 * 24 * 3600 })).toBe(maxRetryAfterSeconds * 1000);
    expect(nextAttemptDelay(1, { retryAfterSeconds: null })).toBe(5_000);
    // It does not buy an attempt beyond the last.
    expect(nextAttemptDelay(8, { retryAfterSeconds: 60 })).toBeNull();
  });

  test('attempt numbers start at 1', () => {
    expect(() => nextAttemptDelay(0)).toThrow(RangeError);
    expect(() => nextAttemptDelay(1.5)).toThrow(RangeError);
  });

  test('Retry-After is read as seconds or as any of the three HTTP date forms', () => {
    const now = Date.UTC(2026, 2, 1, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sunday, 01-Mar-26 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sun Mar  1 12:01:30 2026', now)).toBe(90);
    // A date already past asks for no wait; fractions of a second round up.
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:01:30 GMT', now - 500)).toBe(91);
    for (const malformed of [undefined, null, '', '1.5', '-5', 'soon', 'Tue, 31 Feb 2026 12:00:00 GMT', '2026-03-01T12:01:30Z']) {
      expect(parseRetryAfter(malformed, now)).toBeNull();
    }
  });
});
