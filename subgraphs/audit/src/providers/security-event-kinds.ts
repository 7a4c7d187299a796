import type { SecurityEventKind } from '../__generated__/resolvers-types.ts';

/**
 * The audit actions that record security events, by kind. The trail is the only record:
 * a kind is a set of actions, and reading events of a kind is reading entries of those
 * actions (an index range per action, see security-event-page.ts). A new security event
 * is a new action added here.
 */
export const securityEventActions: Readonly<Record<SecurityEventKind, readonly string[]>> = {
  FAILED_LOGIN: ['user.login_failed'],
  RATE_LIMITED: ['rate_limit.exceeded'],
  REFUSED_SIGNATURE: ['audit.export_download_refused'],
  REVOKED_CREDENTIAL_USED: ['api_key.used_after_revocation', 'oauth.token_used_after_revocation'],
  PERMISSION_DENIED: ['access.denied'],
  TOKEN_REUSE: ['session.refresh_token_reused', 'oauth.refresh_token_reused', 'oauth.code_reused'],
  ALERT: ['security.alert'],
};

const kindOfAction = new Map(
  Object.entries(securityEventActions).flatMap(([kind, actions]) => actions.map((action) => [action, kind as SecurityEventKind])),
);

/** The actions of one kind, or of every kind. */
export function actionsOf(kind: SecurityEventKind | null | undefined): string[] {
  return kind ? [...securityEventActions[kind]] : [...kindOfAction.keys()];
}

/** The kind of event an entry's action records (only security actions are ever read as events). */
export function securityEventKind(action: string): SecurityEventKind {
  const kind = kindOfAction.get(action);
  if (!kind) throw new Error(`audit action "${action}" is not a security event`);
  return kind;
}
