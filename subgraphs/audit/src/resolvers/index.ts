import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { AuditEntry } from './AuditEntry.ts';
import { AuditExport } from './AuditExport.ts';
import { AuditReportRow } from './AuditReportRow.ts';
import { exportAuditLogs } from './Mutation/exportAuditLogs.ts';
import { Organization } from './Organization.ts';
import { auditExport } from './Query/auditExport.ts';
import { auditLogs } from './Query/auditLogs.ts';
import { auditReport } from './Query/auditReport.ts';
import { securityEvents } from './Query/securityEvents.ts';
import { verifyAuditChain } from './Query/verifyAuditChain.ts';
import { SecurityEvent } from './SecurityEvent.ts';
import { Subscription } from './Subscription.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { auditLogs, auditReport, verifyAuditChain, auditExport, securityEvents },
  Mutation: { exportAuditLogs },
  Subscription,
  AuditEntry,
  AuditExport,
  AuditReportRow,
  Organization,
  SecurityEvent,
};
