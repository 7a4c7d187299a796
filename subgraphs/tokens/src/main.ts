/** The tokens subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadTokensConfig, startTokens } from './index.ts';

await runService(() => startTokens(loadTokensConfig(process.env)));
