import { anonymousOperation, operationNameLabeler, otherOperations, usableOperationName } from '@token-nexus/shared';

const hourMs = 3_600_000;

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
  const labelers = new Map<string | null, (name: string) => string>();
  return (scope: string | null, name: string | null | undefined, at: number): string => {
    if (!name) return anonymousOperation;
    if (!usableOperationName(name)) return otherOperations;
    const current = Math.floor(at / hourMs);
    if (current !== hour) {
      hour = current;
      labelers.clear();
    }
    let label = labelers.get(scope);
    if (!label) {
      if (labelers.size >= limits.maxScopes) return otherOperations;
      label = operationNameLabeler(scope === null ? limits.platform : limits.perOrganization);
      labelers.set(scope, label);
    }
    return label(name);
  };
}
