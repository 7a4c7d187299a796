/** The workflows subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadWorkflowsConfig, startWorkflows } from './index.ts';

await runService(() => startWorkflows(loadWorkflowsConfig(process.env)));
