/**
 * `pnpm start`: the whole graph in one process. With no DATABASE_URL it runs on the
 * embedded database (kept in .data/ between runs); with DATABASE_URL, on that Postgres.
 */
import { ConfigError } from '@token-nexus/shared';
import { startGraph } from './start-graph.ts';

try {
  const graph = await startGraph(process.env);
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
  const stop = () => {
    graph.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
