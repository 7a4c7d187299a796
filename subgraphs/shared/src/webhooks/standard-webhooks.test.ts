import { describe, expect, test } from 'vitest';
import {
  InvalidWebhookSecretError,
  generateSecret,
  signPayload,
  verifyStandardWebhook,
  type VerifyStandardWebhookInput,
} from './standard-webhooks.ts';

/**
 * The specification's reference message (from its libraries' tests): signed by someone
 * else's code, so a pass here means we check what other senders send, not only ourselves.
 */
const reference = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  signatureHeader: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  body: '{"test": 2432232314}',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  now: new Date(1614265330 * 1000),
} satisfies VerifyStandardWebhookInput;

const verify = (changes: Partial<VerifyStandardWebhookInput> = {}) => verifyStandardWebhook({ ...reference, ...changes });

/** `reference.now` moved by `seconds`. */
const later = (seconds: number) => new Date(reference.now.getTime() + seconds * 1000);

describe('verifying inbound Standard Webhooks messages', () => {
  test('the reference message verifies, its body given as text or as bytes', () => {
    expect(verify()).toEqual({ ok: true });
    expect(verify({ body: Buffer.from(reference.body, 'utf8') })).toEqual({ ok: true });
  });

  test('a message we sign verifies, a non-ASCII body included', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ name: 'Café ☕ 🚀' });
    const signatureHeader = signPayload({ id: 'msg_1', timestamp: 1_700_000_000, body, secrets: [secret] });
    expect(
      verifyStandardWebhook({ id: 'msg_1', timestamp: '1700000000', signatureHeader, body, secret, now: new Date(1_700_000_000_000) }),
    ).toEqual({ ok: true });
  });

  test('a tampered body, id or timestamp does not verify', () => {
    const refused = { ok: false, reason: expect.stringMatching(/no signature .* matches/) };
    expect(verify({ body: '{"test": 2432232315}' })).toEqual(refused);
    expect(verify({ body: `${reference.body} ` })).toEqual(refused);
    expect(verify({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJeK' })).toEqual(refused);
    expect(verify({ timestamp: '1614265331' })).toEqual(refused);
  });

  test('a message signed with another secret does not verify', () => {
    expect(verify({ secret: generateSecret() })).toEqual({
      ok: false,
      reason: 'no signature in the webhook-signature header matches the secret and this body',
    });
  });

  test('a correctly signed message older than the tolerance is refused as stale', () => {
    expect(verify({ now: later(300) })).toEqual({ ok: true });
    expect(verify({ now: later(301) })).toEqual({
      ok: false,
      reason: 'the webhook-timestamp is 301 s old, outside the 300 s tolerated (a replay, or a clock that is off)',
    });
    expect(verify({ now: later(61), toleranceSeconds: 60 })).toMatchObject({ ok: false, reason: expect.stringContaining('61 s old') });
  });

  test('a correctly signed message from further in the future than the tolerance is refused', () => {
    expect(verify({ now: later(-300) })).toEqual({ ok: true });
    expect(verify({ now: later(-301) })).toEqual({
      ok: false,
      reason: 'the webhook-timestamp is 301 s in the future, outside the 300 s tolerated (a clock that is off)',
    });
  });

  test('one matching signature among several is enough, whatever its place and the versions beside it', () => {
    const other = signPayload({ ...reference, timestamp: Number(reference.timestamp), secrets: [generateSecret()] });
    expect(verify({ signatureHeader: `${other} ${reference.signatureHeader}` })).toEqual({ ok: true });
    expect(verify({ signatureHeader: `${reference.signatureHeader} ${other}` })).toEqual({ ok: true });
    expect(verify({ signatureHeader: `v1a,c2lnbmVkIGJ5IGFuIGVkMjU1MTkga2V5 ${reference.signatureHeader}` })).toEqual({ ok: true });
    // Signed with two secrets by signPayload (a rotation): a receiver holding either one accepts.
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const rotated = signPayload({ ...reference, timestamp: Number(reference.timestamp), secrets: [oldSecret, newSecret] });
    expect(verify({ signatureHeader: rotated, secret: oldSecret })).toEqual({ ok: true });
    expect(verify({ signatureHeader: rotated, secret: newSecret })).toEqual({ ok: true });
    expect(verify({ signatureHeader: other })).toMatchObject({ ok: false });
  });

  test('a missing or malformed signature header is refused', () => {
    const noSignature = { ok: false, reason: 'the webhook-signature header holds no v1,<base64> signature' };
    expect(verify({ signatureHeader: undefined })).toEqual({ ok: false, reason: 'the webhook-signature header is missing' });
    expect(verify({ signatureHeader: 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).toEqual(noSignature);
    expect(verify({ signatureHeader: 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).toEqual(noSignature);
    expect(verify({ signatureHeader: 'v1;g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).toEqual(noSignature);
    // Base64 decoders skip characters they do not know; the signature is compared as sent, so noise cannot pass.
    expect(verify({ signatureHeader: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=!' })).toMatchObject({ ok: false });
    expect(verify({ signatureHeader: 'v1,' })).toMatchObject({ ok: false });
  });

  test('a missing or malformed id or timestamp is refused', () => {
    expect(verify({ id: null })).toEqual({ ok: false, reason: 'the webhook-id header is missing' });
    expect(verify({ id: 'msg with spaces' })).toEqual({
      ok: false,
      reason: 'the webhook-id header is not 1 to 256 visible ASCII characters',
    });
    expect(verify({ id: 'm'.repeat(257) })).toMatchObject({ ok: false });
    expect(verify({ timestamp: '' })).toEqual({ ok: false, reason: 'the webhook-timestamp header is missing' });
    for (const timestamp of ['1614265330.5', '-1614265330', '01614265330', '1.6e9', ' 1614265330', 'now']) {
      expect(verify({ timestamp })).toEqual({ ok: false, reason: 'the webhook-timestamp header is not whole seconds since the epoch' });
    }
  });

  test('a malformed secret or tolerance is a configuration error, thrown instead of blamed on the sender', () => {
    expect(() => verify({ secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toThrow(InvalidWebhookSecretError);
    expect(() => verify({ secret: 'whsec_c2hvcnQ=' })).toThrow(InvalidWebhookSecretError);
    expect(() => verify({ toleranceSeconds: -1 })).toThrow(RangeError);
  });
});
