import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { organizationId as organizationIdSchema } from './metric-query.ts';

const defaultFirst = 20;
const maxFirst = 100;

/** The organization `orgId` names, or null for the whole platform (no `orgId`). */
export function optionalOrganizationId(orgId: string | null | undefined): string | null {
  return orgId === null || orgId === undefined ? null : parseInput(organizationIdSchema, orgId, 'orgId');
}

/** How many operations to list: 1–100, 20 when not given; BAD_USER_INPUT otherwise. */
export function requireFirst(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return defaultFirst;
  if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
    throw new BadUserInputError(`${field}: from 1 to ${maxFirst}.`, { field });
  }
  return first;
}
