import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';

/** Examples of the audit trail page. */
export const auditExamples: ApiExample[] = [
  {
    field: 'Query.auditLogs',
    title: "the latest membership changes of an organization's trail",
    caller: 'user',
    operation: `query AuditLogs($orgId: ID!, $filter: AuditFilter, $first: Int) {
  auditLogs(orgId: $orgId, filter: $filter, first: $first) {
    edges { node { sequence occurredAt action actorType actor { displayName } targetId changes } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, filter: { actionPrefix: 'member.' }, first: 20 },
  },
  {
    field: 'Query.auditReport',
    title: 'how many entries each action has in November',
    caller: 'user',
    operation: `query AuditReport($orgId: ID!, $from: DateTime!, $to: DateTime!, $groupBy: AuditGroupBy!) {
  auditReport(orgId: $orgId, from: $from, to: $to, groupBy: $groupBy) { key count }
}`,
    variables: { orgId, from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', groupBy: 'ACTION' },
  },
  {
    field: 'Query.verifyAuditChain',
    title: "checking that nobody altered the organization's trail",
    caller: 'user',
    operation: `query VerifyAuditChain($orgId: ID!) {
  verifyAuditChain(orgId: $orgId) { ok entriesChecked firstBrokenSequence reason }
}`,
    variables: { orgId },
  },
  {
    field: 'Query.auditExport',
    title: 'polling an export until its download link is there',
    caller: 'user',
    operation: `query AuditExport($id: ID!) {
  auditExport(id: $id) { status rowCount downloadUrl downloadUrlExpiresAt failureReason }
}`,
    variables: { id: '6a4f2e18-9b3c-4d7a-8e1f-0c5b9d3a7e62' },
  },
  {
    field: 'Query.securityEvents',
    title: "an organization's refused access attempts of the last week",
    caller: 'user',
    operation: `query SecurityEvents($orgId: ID, $from: DateTime!, $to: DateTime!, $kind: SecurityEventKind, $first: Int) {
  securityEvents(orgId: $orgId, from: $from, to: $to, kind: $kind, first: $first) {
    edges { node { kind action occurredAt actorType actor { displayName } ipAddress userAgent details } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, from: '2026-11-24T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', kind: 'PERMISSION_DENIED', first: 20 },
  },
  {
    field: 'Mutation.exportAuditLogs',
    title: 'exporting the whole trail as CSV',
    caller: 'user',
    operation: `mutation ExportAuditLogs($orgId: ID!, $format: AuditExportFormat!) {
  exportAuditLogs(orgId: $orgId, format: $format) { id status }
}`,
    variables: { orgId, format: 'CSV' },
  },
  {
    field: 'Subscription.auditEntryAdded',
    title: 'following the trail as entries are recorded',
    caller: 'user',
    operation: `subscription AuditEntryAdded($orgId: ID!) {
  auditEntryAdded(orgId: $orgId) { sequence occurredAt action actorType severity }
}`,
    variables: { orgId },
  },
];
