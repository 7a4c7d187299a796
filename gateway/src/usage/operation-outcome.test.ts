import { describe, expect, test } from 'vitest';
import { operationOutcome } from './operation-outcome.ts';

describe('operation outcomes', () => {
  test('an answer without errors is ok', () => {
    expect(operationOutcome(undefined)).toBe('ok');
    expect(operationOutcome([])).toBe('ok');
  });

  test("errors the caller can act on, or expected ones, are errors but not failures", () => {
    for (const code of ['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'NOT_CONFIGURED']) {
      expect(operationOutcome([{ extensions: { code } }]), code).toBe('error');
    }
  });

  test('an INTERNAL_SERVER_ERROR, or an error without a code of ours, makes the answer a failure', () => {
    expect(operationOutcome([{ extensions: { code: 'FORBIDDEN' } }, { extensions: { code: 'INTERNAL_SERVER_ERROR' } }])).toBe('failure');
    expect(operationOutcome([{}])).toBe('failure');
    expect(operationOutcome([{ extensions: { code: 'ECONNREFUSED' } }])).toBe('failure');
  });
});
