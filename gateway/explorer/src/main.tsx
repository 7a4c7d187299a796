/**
 * The gateway's GraphiQL: the editor, the docs pane, the history, the explorer plugin
 * (build a query by clicking), a headers editor shown from the start, and example
 * operations in tabs. Bundled by ../build.ts; served at /graphql to browsers.
 */
import './monaco-workers.ts';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './page.css';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { exampleTabs, headersTemplate } from './example-tabs.ts';
import { createExplorerFetcher } from './fetcher.ts';

const fetcher = createExplorerFetcher(window.location);
// Passing plugins replaces GraphiQL's default list, so the history is named again.
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    defaultTabs={exampleTabs}
    defaultHeaders={headersTemplate}
    defaultEditorToolsVisibility="headers"
  />,
);
