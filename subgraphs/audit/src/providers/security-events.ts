import {
  BadUserInputError,
  decodeNewestFirstCursor,
  encodeCursor,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { SecurityEventKind } from '../__generated__/resolvers-types.ts';
import type { AuditSubgraphContext } from '../context.ts';
import type { SecurityEventConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { parseOrganizationId } from './organization-id.ts';
import { actionsOf } from './security-event-kinds.ts';
import { readSecurityEventPage } from './security-event-page.ts';

/** A period of about three months: a quarter's review, and a bound on what one query may walk. */
const maxRangeDays = 92;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * One page of security events in [from, to), newest first (by time, then id, so a page
 * boundary never splits or repeats events of the same millisecond). One organization's,
 * or, for a system administrator without `orgId`, every chain's.
 */
export async function listSecurityEvents(
  ctx: AuditSubgraphContext,
  args: {
    orgId?: string | null;
    from: unknown;
    to: unknown;
    kind?: SecurityEventKind | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<SecurityEventConnectionModel> {
  const organizationId = args.orgId === undefined || args.orgId === null ? null : parseOrganizationId(args.orgId);
  await policy.assertCanReadSecurityEvents(ctx, organizationId);
  const from = parseInput(z.coerce.date(), args.from, 'from');
  const to = parseInput(z.coerce.date(), args.to, 'to');
  if (from >= to) throw new BadUserInputError('from must be before to.', { field: 'from' });
  if (to.getTime() - from.getTime() > maxRangeDays * dayMs) {
    throw new BadUserInputError(`A period of security events is at most ${maxRangeDays} days.`, { field: 'to' });
  }
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await readSecurityEventPage(ctx.prisma, {
    organizationId,
    actions: actionsOf(args.kind),
    from,
    to,
    after: page.after,
    take: page.limit + 1,
  });
  return toConnection(rows, page, (entry) => encodeCursor([entry.occurredAt.toISOString(), entry.id]));
}
