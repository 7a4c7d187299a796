import {
  auditedTransaction,
  isUniqueConstraintError,
  type AuditTransaction,
  type DashboardLayout,
  type Prisma,
} from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { IdentityContext } from '../context.ts';
import { policy } from '../policy.ts';
import { dashboardProblem, layoutsSchema, widgetsSchema } from '../validation/dashboard-layout.ts';
import { uuid } from '../validation/inputs.ts';
import { requireOrganization } from './organizations.ts';

const versionSchema = z.number().int().min(1, 'must be a version returned by this API').nullish();

/**
 * Saves the viewer's dashboard with optimistic concurrency: the write only happens if the
 * stored version is still the one the client loaded (a conditional update, atomic in the
 * database). A first save (no version) only creates; it never replaces an existing one.
 */
export async function saveDashboardLayout(
  ctx: IdentityContext,
  args: { orgId: string; layouts: unknown; widgets: unknown; version?: number | null },
): Promise<DashboardLayout> {
  const userId = policy.requireViewer(ctx);
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await requireOrganization(ctx, organizationId);
  await policy.assertCanViewOrganization(ctx, organizationId);
  const version = parseInput(versionSchema, args.version, 'version');
  const document = {
    layouts: parseInput(layoutsSchema, args.layouts, 'layouts'),
    widgets: parseInput(widgetsSchema, args.widgets, 'widgets'),
  };
  const problem = dashboardProblem(document);
  if (problem) throw new BadUserInputError(`${problem[0]}: ${problem[1]}`, { field: problem[0] });
  const content = {
    layouts: document.layouts as Prisma.InputJsonObject,
    widgets: document.widgets as Prisma.InputJsonArray,
  };

  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const saved = await writeVersion(tx, organizationId, userId, version ?? null, content);
      audit({
        organizationId,
        action: 'dashboard.saved',
        target: { type: 'dashboard_layout', id: userId },
        changes: { before: { version: version ?? null }, after: { version: saved.version } },
      });
      return saved;
    });
  } catch (error) {
    if (error instanceof StaleVersion || isUniqueConstraintError(error)) {
      throw await staleVersion(ctx, organizationId, userId, version ?? null);
    }
    throw error;
  }
}

/** The write found another version than the client's; the transaction is rolled back. */
class StaleVersion extends Error {}

async function writeVersion(
  tx: AuditTransaction,
  organizationId: string,
  userId: string,
  version: number | null,
  content: { layouts: Prisma.InputJsonObject; widgets: Prisma.InputJsonArray },
): Promise<DashboardLayout> {
  if (version === null) {
    return tx.dashboardLayout.create({ data: { organizationId, userId, ...content, version: 1 } });
  }
  const updated = await tx.dashboardLayout.updateMany({
    where: { organizationId, userId, version },
    data: { ...content, version: version + 1 },
  });
  if (updated.count === 0) throw new StaleVersion();
  return tx.dashboardLayout.findUniqueOrThrow({
    where: { organizationId_userId: { organizationId, userId } },
  });
}

async function staleVersion(
  ctx: IdentityContext,
  organizationId: string,
  userId: string,
  given: number | null,
): Promise<ConflictError> {
  const current = await ctx.prisma.dashboardLayout.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { version: true },
  });
  const currentVersion = current?.version ?? null;
  const message =
    currentVersion === null
      ? `There is no saved dashboard at version ${given}; save without a version to create it.`
      : given === null
        ? `A dashboard is already saved (version ${currentVersion}); pass its version to replace it.`
        : `The dashboard was changed since version ${given} (it is now at version ${currentVersion}). Reload it and save again.`;
  return new ConflictError(message, { currentVersion });
}
