/** The cms subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadCmsConfig, startCms } from './index.ts';

await runService(() => startCms(loadCmsConfig(process.env)));
