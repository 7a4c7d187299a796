/** The audit subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadAuditConfig, startAudit } from './index.ts';

await runService(() => startAudit(loadAuditConfig(process.env)));
