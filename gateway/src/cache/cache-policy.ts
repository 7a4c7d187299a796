/** What a subgraph's Cache-Control allows: how long, and for whom. */
export interface CachePolicy {
  maxAgeSeconds: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

/**
 * The policy of a subgraph's answer from its Cache-Control header (Apollo Server's
 * `max-age=N, public|private`, from the SDL's @cacheControl hints), or null when it may
 * not be cached: no header, `no-store`, no positive max-age, or no explicit scope.
 */
export function cachePolicyOf(header: string | null | undefined): CachePolicy | null {
  if (!header) return null;
  const directives = new Map(
    header.split(',').map((part) => {
      const [name, value] = part.trim().toLowerCase().split('=');
      return [name!, value ?? ''] as const;
    }),
  );
  if (directives.has('no-store') || directives.has('no-cache')) return null;
  const maxAge = Number(directives.get('max-age'));
  if (!Number.isInteger(maxAge) || maxAge <= 0) return null;
  if (directives.has('public')) return { maxAgeSeconds: maxAge, scope: 'PUBLIC' };
  if (directives.has('private')) return { maxAgeSeconds: maxAge, scope: 'PRIVATE' };
  return null;
}
