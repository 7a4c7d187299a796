export * from './record-audit.ts';
export { hashAuditEntry, genesisHash, type HashedAuditFields } from './audit-hash.ts';
export { redactSecrets, redacted } from './redact-secrets.ts';
export { verifyAuditChain, type ChainVerification } from './verify-chain.ts';
export { rateLimitRecorder, recordAccessDenied, recordSecurityEvent } from './security-events.ts';
export { auditEntryTopic, publishAuditEntries } from './publish-entries.ts';
export { committedChangesHandler } from './committed-changes.ts';
