import { cacheTag } from './cache-tags.ts';

/** What a committed change says about itself: its audit entry's facts. */
export interface RecordedChange {
  organizationId: string | null;
  /** `<noun>.<verb>`, e.g. `page.updated`. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  actorId: string | null;
}

/** Audit target types (snake_case nouns) whose GraphQL type is not their PascalCase. */
const acronyms: Record<string, string> = { ai: 'AI', oauth: 'OAuth' };

/** `ai_conversation` → `AIConversation`, `api_key` → `ApiKey`: the GraphQL type of an audit target. */
export function graphQLTypeOfTarget(targetType: string): string {
  return targetType
    .split('_')
    .map((word) => acronyms[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Actions whose effect is only on their target (and so on its type in its organization);
 * any other action of an organization invalidates everything of that organization
 * (`*@org:`), which is always right, only less precise. A new action is precise once it
 * is listed here (or in `relatedTags`), after checking what it changes.
 */
const targetOnlyActions = new Set([
  'token.created',
  'token.retired',
  'token.deployment_requested',
  'dashboard.saved',
  'component.created',
  'component.updated',
  'template.created',
  // Leads: an erased one, and an export (which changes nothing cached but its own row).
  'form_submission.deleted',
  'form_submission.exported',
]);

/**
 * Actions that only add an entry to the trail (security events: the attempt changed
 * nothing). Their target, when they name one, is what was attempted, not what changed.
 */
const recordOnlyActions = new Set(['access.denied', 'rate_limit.exceeded', 'user.login_failed']);

/** What an action changes besides its target. */
function relatedTags(change: RecordedChange, organizationId: string): string[] | null {
  const { action, targetId } = change;
  if (action.startsWith('member.') && targetId) {
    // A membership: the organization's members, the user's organizations and what the
    // user may now see anywhere in the organization (their cached answers).
    return [
      cacheTag.inOrganization('Membership', organizationId),
      cacheTag.ofUser('Membership', targetId),
      cacheTag.entity('User', targetId),
      cacheTag.actor(`user:${targetId}`),
    ];
  }
  if (action === 'organization.created') {
    // A new organization: lookups by slug that found none, and its creator's memberships.
    const creator = change.actorId ? [cacheTag.ofUser('Membership', change.actorId), cacheTag.actor(`user:${change.actorId}`)] : [];
    return [cacheTag.onPlatform('Organization'), cacheTag.onPlatform('PublishedPage'), ...creator];
  }
  if (action === 'organization.updated') {
    // Its slug may have changed: lookups by slug, and public pages found through it.
    return [cacheTag.onPlatform('Organization'), cacheTag.onPlatform('PublishedPage'), cacheTag.inOrganization('PublishedPage', organizationId)];
  }
  if (action.startsWith('page.')) {
    // What the public site shows of a page comes from its revisions.
    return [cacheTag.inOrganization('PublishedPage', organizationId), cacheTag.inOrganization('PageRevision', organizationId)];
  }
  return targetOnlyActions.has(action) ? [] : null;
}

/**
 * The cache tags a committed change bumps (see cache-tags.ts): its target, the target's
 * type in its organization (or on the platform), the organization's audit trail (every
 * audited change adds an entry to it), and what the action changes besides.
 */
export function changeTags(change: RecordedChange): string[] {
  if (recordOnlyActions.has(change.action)) {
    return change.organizationId ? [cacheTag.inOrganization('AuditEntry', change.organizationId)] : [];
  }
  const type = change.targetType ? graphQLTypeOfTarget(change.targetType) : null;
  const tags: string[] = [];
  if (type && change.targetId) tags.push(cacheTag.entity(type, change.targetId));
  const organizationId = change.organizationId;
  if (!organizationId) {
    if (type) tags.push(cacheTag.onPlatform(type));
    return tags;
  }
  tags.push(cacheTag.inOrganization('AuditEntry', organizationId));
  if (type) tags.push(cacheTag.inOrganization(type, organizationId));
  const related = relatedTags(change, organizationId);
  tags.push(...(related ?? [cacheTag.anythingInOrganization(organizationId)]));
  return tags;
}

/**
 * The tags of a change made outside any audited transaction (a job writing a field, a
 * background task): the object, and its type in its organization.
 */
export function objectChangeTags(type: string, id: string, organizationId: string | null): string[] {
  return [
    cacheTag.entity(type, id),
    organizationId ? cacheTag.inOrganization(type, organizationId) : cacheTag.onPlatform(type),
  ];
}
