import { parseInput } from '@token-nexus/shared';
import { z } from 'zod';

const organizationId = z.uuid('must be an organization id returned by this API');

export function parseOrganizationId(raw: unknown, field = 'orgId'): string {
  return parseInput(organizationId, raw, field);
}
