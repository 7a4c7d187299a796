/**
 * Monaco's web workers, which it asks for by label: GraphQL (validation, completion),
 * JSON (variables and headers) and the editor's own. The build bundles each as a file of
 * its own beside this script and gives their hashed names as EXPLORER_WORKERS; they are
 * started from this origin, as the page's Content-Security-Policy requires.
 */
declare const EXPLORER_WORKERS: { 'editor.worker': string; 'json.worker': string; 'graphql.worker': string };

function workerFile(label: string): string {
  if (label === 'graphql') return EXPLORER_WORKERS['graphql.worker'];
  if (label === 'json') return EXPLORER_WORKERS['json.worker'];
  return EXPLORER_WORKERS['editor.worker'];
}

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) => new Worker(new URL(workerFile(label), import.meta.url), { name: label }),
};
