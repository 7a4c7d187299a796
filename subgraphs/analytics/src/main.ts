/** The analytics subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadAnalyticsConfig, startAnalytics } from './index.ts';

await runService(() => startAnalytics(loadAnalyticsConfig(process.env)));
