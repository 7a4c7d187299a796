/** The media subgraph as its own process (one container in compose.yaml). */
import { runService } from '@token-nexus/shared';
import { loadMediaConfig, startMedia } from './index.ts';

await runService(() => startMedia(loadMediaConfig(process.env)));
