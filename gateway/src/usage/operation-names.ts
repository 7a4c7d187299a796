/** The name operations without one are reported under. */
export const anonymousOperationName = 'anonymous';
/** The name operations beyond the cap (or with an unusable name) are reported under. */
export const otherOperationsName = 'other';

const hourMs = 3_600_000;
const graphqlName = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Bounds the operation names the gateway reports, so that a client cannot grow the
 * analytics rollups (a row per name per hour) by sending a new name with every request:
 * the first `perOrganization` distinct names an organization's operations carry in a clock
 * hour (`platform` for the platform-wide figures) keep their name, later ones fold into
 * `other` until the next hour. An hour, not a report: the rollups keep hours, so this caps
 * the names per organization and hour (per gateway instance). Unnamed operations are
 * `anonymous`; names over 100 characters fold into `other` without using up the cap.
 * At most `maxScopes` organizations are remembered per hour; operations of organizations
 * beyond them are all `other`.
 */
export function createOperationNames(limits: { perOrganization: number; platform: number; maxScopes: number }) {
  let hour = -1;
  const kept = new Map<string | null, Set<string>>();
  return (scope: string | null, name: string | null | undefined, at: number): string => {
    if (!name) return anonymousOperationName;
    if (name.length > 100 || !graphqlName.test(name)) return otherOperationsName;
    const current = Math.floor(at / hourMs);
    if (current !== hour) {
      hour = current;
      kept.clear();
    }
    let names = kept.get(scope);
    if (!names) {
      if (kept.size >= limits.maxScopes) return otherOperationsName;
      names = new Set();
      kept.set(scope, names);
    }
    if (names.has(name)) return name;
    if (names.size >= (scope === null ? limits.platform : limits.perOrganization)) return otherOperationsName;
    names.add(name);
    return name;
  };
}
