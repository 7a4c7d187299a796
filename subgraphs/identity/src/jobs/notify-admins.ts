import { enqueueJob, type JobHandler, type PrismaClient } from '@token-nexus/prisma';
import { mailSendJob, notifyAdminsJob, type AdminNotificationPayload } from '@token-nexus/shared';

/**
 * Runs `mail.notify-admins`: one `mail.send` job per OWNER and ADMIN of the organization
 * as it is when the job runs (someone removed meanwhile is not told), all enqueued in one
 * transaction. An organization that no longer exists has nobody to tell.
 */
export function notifyAdminsHandler(prisma: PrismaClient, dashboardUrl: string): JobHandler<AdminNotificationPayload> {
  return {
    definition: notifyAdminsJob,
    async run({ organizationId, notice }) {
      const organization = await prisma.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
      if (!organization) return;
      const admins = await prisma.membership.findMany({
        where: { organizationId, role: { in: ['OWNER', 'ADMIN'] } },
        select: { user: { select: { email: true } } },
        orderBy: { createdAt: 'asc' },
      });
      await prisma.$transaction(async (tx) => {
        for (const { user } of admins) {
          await enqueueJob(tx, mailSendJob, {
            template: notice.template,
            data: { ...notice.data, to: user.email, organizationName: organization.name, dashboardUrl },
          });
        }
      });
    },
  };
}
