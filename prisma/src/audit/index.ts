export * from './record-audit.ts';
export { hashAuditEntry, genesisHash, type HashedAuditFields } from './audit-hash.ts';
export { redactSecrets, redacted } from './redact-secrets.ts';
export { verifyAuditChain, type ChainVerification } from './verify-chain.ts';
export { rateLimitRecorder, recordAccessDenied, recordSecurityEvent } from './security-events.ts';
export { countSecuritySignal, securityBursts, type SecurityBurstKind, type SecuritySignal } from './security-bursts.ts';
export { raiseSecurityAlert, type SecurityAlert } from './security-alerts.ts';
export { auditEntryTopic, publishAuditEntries } from './publish-entries.ts';
export { committedChangesHandler } from './committed-changes.ts';
