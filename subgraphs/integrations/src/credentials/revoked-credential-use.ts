import { recordSecurityEvent, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';

/** A revoked API key or OAuth access token that was presented again. */
export interface RevokedCredentialUse {
  kind: 'api_key' | 'oauth_access_token';
  /** The key's id, or the token's. */
  id: string;
  organizationId: string;
  /** Who holds it: the key's own id, or `oauth-app:<id>` (as entries name programs). */
  holderId: string;
  revokedAt: Date;
}

/**
 * Records each use of a revoked credential as a security event in its organization's
 * trail (`api_key.used_after_revocation`, `oauth.token_used_after_revocation`), one entry
 * a minute per credential. The gateway asks about a credential without the client's
 * address, so these entries carry none.
 */
export function revokedCredentialRecorder(deps: {
  prisma: PrismaClient;
  onAuditRecorded: AuditContext['onRecorded'];
  logger: Logger;
}): (use: RevokedCredentialUse) => Promise<void> {
  return (use) => {
    const context: AuditContext = {
      onRecorded: deps.onAuditRecorded,
      actor: { type: 'API_KEY', id: use.holderId },
      requestId: null,
      clientIp: null,
      userAgent: null,
    };
    return recordSecurityEvent(
      deps.prisma,
      context,
      {
        organizationId: use.organizationId,
        action: use.kind === 'api_key' ? 'api_key.used_after_revocation' : 'oauth.token_used_after_revocation',
        throttleKey: `revoked|${use.kind}|${use.id}`,
        // Not `credential`: the trail redacts secret-looking keys.
        details: { type: use.kind, id: use.id, revokedAt: use.revokedAt.toISOString() },
      },
      deps.logger,
    );
  };
}
