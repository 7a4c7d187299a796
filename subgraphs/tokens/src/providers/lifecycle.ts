import type { Token, TokenStatus } from '@token-nexus/prisma';
import { BadUserInputError } from '@token-nexus/shared';

/**
 * The token lifecycle: DRAFT → DEPLOYING → DEPLOYED ↔ PAUSED → RETIRED, FAILED from
 * DEPLOYING and back to DEPLOYING on a retry. Everything else is refused.
 */
const allowed: Record<TokenStatus, readonly TokenStatus[]> = {
  DRAFT: ['DEPLOYING', 'RETIRED'],
  DEPLOYING: ['DEPLOYED', 'FAILED'],
  DEPLOYED: ['PAUSED', 'RETIRED'],
  PAUSED: ['DEPLOYED', 'RETIRED'],
  FAILED: ['DEPLOYING', 'RETIRED'],
  RETIRED: [],
};

export function canMove(from: TokenStatus, to: TokenStatus): boolean {
  return allowed[from].includes(to);
}

/** BAD_USER_INPUT naming both states, when `from → to` is not a step of the lifecycle. */
export function assertCanMove(from: TokenStatus, to: TokenStatus, action: string): void {
  if (!canMove(from, to)) {
    throw new BadUserInputError(`A ${from} token cannot be ${action} (it would go ${from} → ${to}).`, {
      field: 'status',
      status: from,
    });
  }
}

/** BAD_USER_INPUT for an imported token: the platform holds none of its keys, so it only follows it. */
export function assertOperable(token: Pick<Token, 'deploymentMethod' | 'symbol'>, action: string): void {
  if (token.deploymentMethod === 'IMPORTED') {
    throw new BadUserInputError(`${token.symbol} was imported: it is read-only here (the platform holds no key of it), so it cannot be ${action}.`, {
      field: 'readOnly',
    });
  }
}
