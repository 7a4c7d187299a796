/**
 * `pnpm start`: the whole graph in one process. With no DATABASE_URL it runs on the
 * embedded database (kept in .data/ between runs); with DATABASE_URL, on that Postgres.
 */
import { runService } from '@token-nexus/shared';
import type { ExplorerMode } from '@token-nexus/gateway';
import { startGraph } from './start-graph.ts';

/** How the endpoint's line names what a browser finds there. */
const endpointLabels: Record<ExplorerMode, string> = {
  on: 'GraphQL endpoint and GraphiQL (open it in a browser)',
  sandbox: 'GraphQL endpoint and Apollo Sandbox',
  off: 'GraphQL endpoint',
};

await runService(
  () => startGraph(process.env),
  (graph) => {
    const database =
      graph.database.target.kind === 'embedded'
        ? `embedded Postgres (PGlite) in ${graph.database.target.dataDir}`
        : 'Postgres at DATABASE_URL';
    console.log(
      [
        '',
        `  Token Nexus graph is running on ${database}.`,
        `  ${endpointLabels[graph.gateway.explorer]}: ${graph.gateway.url}`,
        '',
      ].join('\n'),
    );
  },
);
