import { describe, expect, test } from 'vitest';
import { mintStepCredential, readStepCredential } from './step-credential.ts';

const key = 'a-master-key-of-at-least-thirty-two-characters';
const claim = { runId: '0193a4d2-7c1e-7000-8000-000000000001', stepKey: 'notify', attempt: 2 };

describe('a workflow step credential', () => {
  test('reads back the attempt it was made for', () => {
    const secret = mintStepCredential(key, claim);
    expect(secret.startsWith('tnxw_')).toBe(true);
    expect(readStepCredential(key, secret)).toEqual({ ok: true, claim });
  });

  test('is refused when made with another master key', () => {
    expect(readStepCredential(key, mintStepCredential(`${key}-other`, claim))).toEqual({ ok: false, message: "The workflow step's credential is not valid." });
  });

  test('is refused when its claim is changed (another attempt or step)', () => {
    const [payload, signature] = mintStepCredential(key, claim).slice(5).split('.');
    const claimed = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claimed, a: 3 })).toString('base64url');
    expect(readStepCredential(key, `tnxw_${forged}.${signature}`).ok).toBe(false);
  });

  test('is refused after fifteen minutes', () => {
    const madeAt = Date.now();
    const secret = mintStepCredential(key, claim, madeAt);
    expect(readStepCredential(key, secret, madeAt + 14 * 60_000).ok).toBe(true);
    expect(readStepCredential(key, secret, madeAt + 15 * 60_000)).toEqual({ ok: false, message: "The workflow step's credential has expired." });
  });

  test('is refused when malformed', () => {
    for (const secret of ['tnxw_', 'tnxw_abc', 'tnxw_a.b.c', 'tnx_abc.def', `tnxw_${Buffer.from('not json').toString('base64url')}.x`]) {
      expect(readStepCredential(key, secret).ok).toBe(false);
    }
  });
});
