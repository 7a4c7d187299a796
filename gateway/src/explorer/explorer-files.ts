import { fileURLToPath } from 'node:url';

/** Where `pnpm explorer:build` writes GraphiQL's page and assets (gitignored). */
export const defaultExplorerDistDir = fileURLToPath(new URL('../../explorer/dist/', import.meta.url));

/**
 * The URL path under which the explorer's assets are served. The page, at /graphql,
 * links them relatively (`graphql/explorer/…`), so it also works behind a path prefix.
 */
export const explorerAssetPrefix = '/graphql/explorer/';

/** The page the build writes and the route serves at /graphql. */
export const explorerPageFile = 'index.html';

/** What to run when the explorer has not been built (pnpm install runs it too). */
export const explorerBuildCommand = 'pnpm explorer:build';
