/**
 * `pnpm start`: the whole graph in one process. With no DATABASE_URL it runs on the
 * embedded database (kept in .data/ between runs); with DATABASE_URL, on that Postgres.
 */
import { runService } from '@token-nexus/shared';
import { startGraph } from './start-graph.ts';

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
        `  GraphQL endpoint and Apollo Sandbox: ${graph.gateway.url}`,
        '',
      ].join('\n'),
    );
  },
);
