/** The integrations subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadIntegrationsConfig, startIntegrations } from './index.ts';

await runService(() => startIntegrations(loadIntegrationsConfig(process.env)));
