/**
 * How many operations a POST body holds when it is a batch (a JSON array), or null when it
 * is not one (a single operation, or not JSON at all: Apollo answers those as usual).
 *
 * Only a body that starts with `[` is parsed here, so a batch is parsed twice (here and
 * when Apollo is called) but a single operation only once. The body is already capped at
 * BODY_LIMIT_BYTES, so the second parse is bounded.
 */
export function batchSizeOf(body: Buffer): number | null {
  const text = body.toString('utf8');
  if (!text.trimStart().startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.length : null;
  } catch {
    return null;
  }
}
