/** The identity subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadIdentityConfig, startIdentity } from './index.ts';

await runService(() => startIdentity(loadIdentityConfig(process.env)));
