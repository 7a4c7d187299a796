/** The ai subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadAiConfig, startAi } from './index.ts';

await runService(() => startAi(loadAiConfig(process.env)));
