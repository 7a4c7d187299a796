import { describe, expect, test } from 'vitest';
import { newSubmissionId } from './submission-ids.ts';

describe('newSubmissionId', () => {
  test('is a version 7 UUID carrying its millisecond, so ids sort in the order they were made', () => {
    const at = Date.parse('2026-12-05T12:00:00.123Z');
    const id = newSubmissionId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(newSubmissionId(at + 1) > newSubmissionId(at)).toBe(true);
    expect(newSubmissionId(at)).not.toBe(id);
  });
});
