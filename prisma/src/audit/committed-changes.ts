import { changeTags, type CacheTagVersions, type EventBus, type Logger } from '@token-nexus/shared';
import type { AuditEntry } from '../generated/client.ts';
import { publishAuditEntries } from './publish-entries.ts';

/**
 * What every service does once audited changes have committed, before its response
 * leaves: the entries go to their organization's live feed (fire and forget), and the
 * cache tags of what changed are bumped (awaited: a client that has the response must
 * never read the old answer from any gateway). A failed bump is logged; the versions
 * store then makes every cached answer stale as soon as it can (see CacheTagVersions).
 */
export function committedChangesHandler(options: {
  events: EventBus;
  cacheVersions: CacheTagVersions;
  logger: Logger;
}): (entries: AuditEntry[]) => Promise<void> {
  const publish = publishAuditEntries(options.events);
  return async (entries) => {
    publish(entries);
    const tags = entries.flatMap((entry) =>
      changeTags({
        organizationId: entry.organizationId,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        actorId: entry.actorId,
      }),
    );
    await options.cacheVersions.bump(tags).catch((error: unknown) => {
      options.logger.error({ err: error, tags: tags.length }, 'could not invalidate cached answers after a change');
    });
  };
}
