import { describe, expect, test } from 'vitest';
import { checkMailMessage, InvalidMailMessageError, oneLine } from './mail-message.ts';

const message = { to: 'alice@example.com', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>' };

describe('checking a message before it is sent', () => {
  test('passes a message with one recipient and a one-line subject', () => {
    expect(checkMailMessage(message)).toEqual(message);
  });

  test.each(['Hello\r\nBcc: everyone@example.com', 'Hello\nX-Injected: 1', 'Hello\rthere', 'Hello\u2028there', '  '])(
    'refuses the subject %j',
    (subject) => {
      expect(() => checkMailMessage({ ...message, subject })).toThrow(
        new InvalidMailMessageError('The subject must be one non-empty line'),
      );
    },
  );

  test('turns line breaks and other control characters into single spaces for a subject', () => {
    expect(oneLine('Acme\r\n\tBcc: x@example.com\u0000')).toBe('Acme Bcc: x@example.com');
  });
});
