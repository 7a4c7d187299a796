import { loadTypeDefs, type SubgraphDefinition } from '@token-nexus/shared';
import { resolvers } from './resolvers/index.ts';

/** The audit subgraph: reading, reporting on, verifying and exporting the audit trail. */
export const auditSubgraph: SubgraphDefinition = {
  name: 'audit',
  typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
  resolvers,
};

export { loadAuditConfig, type AuditConfig } from './config.ts';
export { startAudit } from './start-audit.ts';
