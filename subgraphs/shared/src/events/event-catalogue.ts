/**
 * The platform's event catalogue: the events organizations can receive on webhooks (the
 * domains feed them; `webhook.test` is sent by testWebhook) and that workflows can be
 * triggered by. One list for both, so a workflow can never wait for an event no domain sends.
 */
export const webhookEventTypes = [
  { name: 'member.added', description: 'Someone joined the organization.' },
  { name: 'member.removed', description: 'Someone left or was removed from the organization.' },
  { name: 'token.deployed', description: 'A token was deployed on its chain.' },
  { name: 'page.published', description: 'A CMS page or post was published.' },
  {
    name: 'form.submitted',
    description:
      'A visitor sent a form of a published CMS page (submitForm). data: submissionId, orgId, pageId, pageSlug, formId, locale, visitorId (or null), experiment ({ id, variant } of the A/B experiment variant the visitor was shown, or null), values, submittedAt.',
  },
  { name: 'media.ready', description: 'An uploaded file was checked and processed, and can be used.' },
  { name: 'media.rejected', description: 'An uploaded file was refused (its type, size or checksum is not what was declared, or it is not allowed); its bytes were deleted.' },
  {
    name: 'security.alert',
    description:
      "A burst of security events within 5 minutes: 20 failed sign-ins on a member's account, or 20 refused or 100 rate-limited requests by one actor in the organization. At most one per burst every 5 minutes.",
  },
  { name: 'webhook.test', description: 'A test event sent by testWebhook.' },
] as const;

export const webhookEventTypeNames: readonly string[] = webhookEventTypes.map((type) => type.name);
