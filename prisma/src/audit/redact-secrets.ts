/**
 * Keys whose values never enter the trail, at any depth: passwords, tokens, keys,
 * secrets, hashes and credentials of any kind.
 */
const secretKey =
  /pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|signing[-_]?key|hash|authorization|cookie|credential|mnemonic|seed/i;

export const redacted = '[redacted]';

/** A copy of `value` with the value of every secret-looking key replaced by `[redacted]`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, nested]) => [
        key,
        secretKey.test(key) ? redacted : redactSecrets(nested),
      ]),
    );
  }
  return value;
}
