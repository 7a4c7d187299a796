import { parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { requirePage } from '../providers/pages.ts';
import { uuid } from '../validation/inputs.ts';
import { operationEvent, presenceEvent, type PageOperationEvent, type PresenceEvent } from './page-events.ts';
import { tooFarBehindError } from './submit-operations.ts';

const afterVersion = z.int('must be an integer').min(0, 'must be at least 0');
const first = z.int('must be an integer').min(1, 'must be at least 1').max(500, 'must be at most 500');

/** A version a live editor says its document is at: refused when it is too far behind to catch up. */
export function parseAfterVersion(ctx: CmsContext, value: unknown, currentVersion: number): number {
  const version = parseInput(afterVersion, value, 'afterVersion');
  if (currentVersion - version > ctx.live.maxVersionsBehind) {
    throw tooFarBehindError(version, currentVersion, ctx.live.maxVersionsBehind);
  }
  return version;
}

/** The operations after a version, oldest first: a live editor's catch-up. */
export async function listOperations(
  ctx: CmsContext,
  args: { pageId: unknown; afterVersion: unknown; first?: unknown },
): Promise<PageOperationEvent[]> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const page = await requirePage(ctx, pageId);
  await policy.assertCanRead(ctx, page.organizationId);
  const after = parseAfterVersion(ctx, args.afterVersion, page.version);
  const limit = args.first == null ? 100 : parseInput(first, args.first, 'first');
  const rows = await ctx.prisma.pageOperation.findMany({
    where: { pageId, version: { gt: after } },
    orderBy: { version: 'asc' },
    take: limit,
  });
  return rows.map(operationEvent);
}

/** Who is in a page's session now. */
export async function listPresence(ctx: CmsContext, args: { pageId: unknown }): Promise<PresenceEvent[]> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const page = await requirePage(ctx, pageId);
  await policy.assertCanRead(ctx, page.organizationId);
  return (await ctx.live.presence.list(pageId)).map(presenceEvent);
}
