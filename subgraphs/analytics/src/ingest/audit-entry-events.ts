import { metricEvent, type MetricEvent } from './metric-event.ts';

/** The columns of an audit entry the ingester reads. */
export interface AuditEntryRow {
  organizationId: string;
  occurredAt: Date;
  action: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  targetId: string | null;
  /** For `token.created`: the chain the token is for (from the entry's changes). */
  chainId: string | null;
}

/**
 * What one audit entry counts toward. Every entry counts in `audit.entries`; the actions
 * below count in their metrics too. This is the one place that knows which action means
 * what (the actions are the audit trail's `<noun>.<verb_ed>` names).
 */
export function auditEntryEvents(entry: AuditEntryRow): MetricEvent[] {
  const { organizationId: org, occurredAt: at } = entry;
  const events = [metricEvent(org, 'audit.entries', at, { dimension: entry.severity })];
  if (entry.severity !== 'INFO') events.push(metricEvent(org, 'security.events', at, { dimension: entry.action }));
  const target = entry.targetId ?? '';
  switch (entry.action) {
    case 'organization.created':
    case 'member.added':
      events.push(metricEvent(org, 'members.joined', at), metricEvent(org, 'members.count', at));
      break;
    case 'member.removed':
    case 'member.left':
      events.push(metricEvent(org, 'members.count', at, { units: -1 }));
      break;
    case 'token.created':
      events.push(metricEvent(org, 'tokens.created', at, { dimension: entry.chainId ?? '' }));
      break;
    case 'token.deployed':
      events.push(metricEvent(org, 'tokens.deployed', at, { dimension: target }));
      break;
    case 'ai.message_sent':
      events.push(metricEvent(org, 'ai.messages', at));
      break;
    case 'page.published':
      events.push(metricEvent(org, 'cms.pages.published', at, { dimension: target }));
      break;
    case 'page.edited':
      events.push(metricEvent(org, 'cms.edits', at, { dimension: target }));
      break;
  }
  return events;
}
