import {
  auditedTransaction,
  enqueueJob,
  isUniqueConstraintError,
  recordWebhookEvent,
  type AuditContext,
  type AuditTransaction,
  type Membership,
  type Role,
} from '@token-nexus/prisma';
import { ConflictError, NotFoundError, accessChangedTopic, mailSendJob, parseInput } from '@token-nexus/shared';
import type { IdentityContext } from '../context.ts';
import { policy } from '../policy.ts';
import { email as emailSchema, uuid } from '../validation/inputs.ts';
import { requireOrganization } from './organizations.ts';

export async function addMember(
  ctx: IdentityContext,
  args: { orgId: string; email: string; role: Role },
): Promise<Membership> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const email = parseInput(emailSchema, args.email, 'email');
  const organization = await requireOrganization(ctx, organizationId);
  await policy.assertCanManage(ctx, organizationId, { touchesOwner: args.role === 'OWNER' });
  const user = await ctx.prisma.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) throw new NotFoundError('No user has this email address. They must sign up first.');
  const inviter = await ctx.loaders.userById.load(policy.requireViewer(ctx));
  try {
    return await auditedTransaction(ctx.prisma, announcing(ctx, user.id, organizationId), async (tx, audit) => {
      const created = await tx.membership.create({
        data: { organizationId, userId: user.id, role: args.role },
      });
      audit({
        organizationId,
        action: 'member.added',
        target: { type: 'user', id: user.id },
        changes: { after: { role: args.role } },
      });
      await recordWebhookEvent(tx, { organizationId, type: 'member.added', data: { userId: user.id, role: args.role } });
      // The email is a job of this transaction: sent (with retries) if and only if the
      // membership is committed.
      await enqueueJob(tx, mailSendJob, {
        template: 'membershipInvitation',
        data: {
          to: user.email,
          organizationName: organization.name,
          role: args.role,
          invitedBy: inviter?.displayName ?? 'An administrator',
          dashboardUrl: ctx.dashboardUrl,
        },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) {
      throw new ConflictError('This user is already a member of the organization.');
    }
    throw error;
  }
}

export async function updateMemberRole(
  ctx: IdentityContext,
  args: { orgId: string; userId: string; role: Role },
): Promise<Membership> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const userId = parseInput(uuid, args.userId, 'userId');
  await requireOrganization(ctx, organizationId);
  await policy.assertCanManage(ctx, organizationId, { touchesOwner: args.role === 'OWNER' });
  return auditedTransaction(ctx.prisma, announcing(ctx, userId, organizationId), async (tx, audit) => {
    const membership = await lockedMembership(tx, organizationId, userId);
    if (membership.role === args.role) return membership;
    if (membership.role === 'OWNER') {
      await policy.assertCanManage(ctx, organizationId, { touchesOwner: true });
      await assertAnotherOwner(tx, organizationId, 'demoted');
    }
    audit({
      organizationId,
      action: 'member.role_changed',
      target: { type: 'user', id: userId },
      changes: { before: { role: membership.role }, after: { role: args.role } },
    });
    return tx.membership.update({
      where: { organizationId_userId: { organizationId, userId } },
      data: { role: args.role },
    });
  });
}

/** Removes a member; a member may remove themself (leave). Their dashboard there goes too. */
export async function removeMember(
  ctx: IdentityContext,
  args: { orgId: string; userId: string },
): Promise<boolean> {
  const viewerId = policy.requireViewer(ctx);
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const userId = parseInput(uuid, args.userId, 'userId');
  const leaving = userId === viewerId;
  await requireOrganization(ctx, organizationId);
  if (leaving) await policy.assertCanViewOrganization(ctx, organizationId);
  else await policy.assertCanManage(ctx, organizationId);
  await auditedTransaction(ctx.prisma, announcing(ctx, userId, organizationId), async (tx, audit) => {
    const membership = await lockedMembership(tx, organizationId, userId);
    if (membership.role === 'OWNER') {
      if (!leaving) await policy.assertCanManage(ctx, organizationId, { touchesOwner: true });
      await assertAnotherOwner(tx, organizationId, 'removed');
    }
    await tx.dashboardLayout.deleteMany({ where: { organizationId, userId } });
    await tx.membership.delete({ where: { organizationId_userId: { organizationId, userId } } });
    audit({
      organizationId,
      action: leaving ? 'member.left' : 'member.removed',
      target: { type: 'user', id: userId },
      changes: { before: { role: membership.role } },
    });
    await recordWebhookEvent(tx, { organizationId, type: 'member.removed', data: { userId, left: leaving } });
  });
  return true;
}

/**
 * The request's audit context, extended to tell every service that this user's access
 * changed once the change has committed, and before its audit entries are published: live
 * subscriptions then ask identity again before delivering the entry that records the
 * change (publications on one bus arrive in the order they were made).
 */
function announcing(ctx: IdentityContext, userId: string, organizationId: string): AuditContext {
  return {
    ...ctx.audit,
    onRecorded: (entries) => {
      ctx.events.publish(accessChangedTopic(userId), { organizationId }).catch((error: unknown) => {
        ctx.logger.error({ err: error, userId }, 'could not announce an access change');
      });
      ctx.audit.onRecorded?.(entries);
    },
  };
}

/**
 * Reads a membership after locking its organization's row. Every change to an
 * organization's owners goes through this lock, so two owners demoting each other at the
 * same moment are serialized and the second sees that it would leave no owner.
 */
async function lockedMembership(
  tx: AuditTransaction,
  organizationId: string,
  userId: string,
): Promise<Membership> {
  await tx.$queryRaw`SELECT id FROM identity.organizations WHERE id = ${organizationId}::uuid FOR UPDATE`;
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
  });
  if (!membership) throw new NotFoundError('This user is not a member of the organization.');
  return membership;
}

async function assertAnotherOwner(
  tx: AuditTransaction,
  organizationId: string,
  change: 'demoted' | 'removed',
): Promise<void> {
  const owners = await tx.membership.count({ where: { organizationId, role: 'OWNER' } });
  if (owners <= 1) {
    throw new ConflictError(
      `The last OWNER of an organization cannot be ${change}. Make another member OWNER first.`,
    );
  }
}

