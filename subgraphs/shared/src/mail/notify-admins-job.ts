import type { WebhookEndpointDisabled } from './templates/webhook-endpoint-disabled.ts';

/**
 * What to tell every OWNER and ADMIN of an organization by email. Any service may enqueue
 * it (in the transaction of the change it reports); identity, which alone knows who the
 * admins are and their addresses, runs it and sends one `mail.send` job per admin.
 */
export interface AdminNotificationPayload {
  organizationId: string;
  notice: {
    template: 'webhookEndpointDisabled';
    /** The template's data but for what identity fills in per admin. */
    data: Omit<WebhookEndpointDisabled, 'to' | 'organizationName' | 'dashboardUrl'>;
  };
}

/** The `mail.notify-admins` queue, shaped as the job runner's `JobDefinition<AdminNotificationPayload>`. */
export const notifyAdminsJob = { queue: 'mail.notify-admins', maxAttempts: 12 } as const;
