/**
 * Builds the gateway's GraphiQL explorer into static files in `dist/` (`pnpm
 * explorer:build`; `pnpm install` runs it): the app (React, GraphiQL, its explorer plugin,
 * the fetcher), its CSS and fonts, and Monaco's three web workers, each a file whose name
 * carries its content hash, plus `index.html`. Nothing is loaded from a CDN.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { explorerAssetPrefix, explorerPageFile } from '../src/explorer/explorer-files.ts';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'dist');
const require = createRequire(import.meta.url);

/** Monaco and monaco-graphql are GraphiQL's dependencies, so they are found from it. */
function packageDir(name: string): string {
  const fromGraphiQL = createRequire(require.resolve('@graphiql/react/package.json'));
  return dirname(fromGraphiQL.resolve(`${name}/package.json`));
}

/** The workers Monaco asks for by label (see src/monaco-workers.ts). */
function workerEntries(): Record<string, string> {
  const monaco = packageDir('monaco-editor');
  return {
    'editor.worker': join(monaco, 'esm/vs/editor/editor.worker.js'),
    'json.worker': join(monaco, 'esm/vs/language/json/json.worker.js'),
    'graphql.worker': join(packageDir('monaco-graphql'), 'esm/graphql.worker.js'),
  };
}

const shared = {
  bundle: true,
  minify: true,
  outdir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true as const,
  logLevel: 'warning' as const,
  target: ['chrome115', 'firefox115', 'safari16'],
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** The scripts written for the entry points, by entry name (`app` → `app-4QZ2KX7M.js`). */
function scriptsByEntry(metafile: Metafile): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (!meta.entryPoint || !output.endsWith('.js')) continue;
    const file = basename(output);
    names[file.slice(0, file.lastIndexOf('-'))] = file;
  }
  return names;
}

/** The stylesheet esbuild gathered from the CSS the app's modules import. */
function stylesheetOf(metafile: Metafile, script: string): string | undefined {
  const output = Object.entries(metafile.outputs).find(([path]) => basename(path) === script);
  return output?.[1].cssBundle ? basename(output[1].cssBundle) : undefined;
}

async function buildWorkers(): Promise<Record<string, string>> {
  // Classic (non-module) workers: every browser GraphiQL supports starts them.
  const result = await build({ ...shared, entryPoints: workerEntries(), format: 'iife' });
  return scriptsByEntry(result.metafile);
}

/** The app knows its workers' hashed names at build time, so its own hash covers them. */
async function buildApp(workers: Record<string, string>): Promise<{ script: string; style: string }> {
  const result = await build({
    ...shared,
    entryPoints: { app: join(here, 'src/main.tsx') },
    format: 'esm',
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    define: { ...shared.define, EXPLORER_WORKERS: JSON.stringify(workers) },
  });
  const script = scriptsByEntry(result.metafile).app;
  const style = script && stylesheetOf(result.metafile, script);
  if (!script || !style) throw new Error('esbuild wrote no app script or stylesheet');
  return { script, style };
}

/** Relative links: the page is served at …/graphql and its assets under …/graphql/explorer/. */
function page(assets: { script: string; style: string }): string {
  const base = explorerAssetPrefix.slice(1);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Token Nexus graph · GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${base}${assets.style}">
    <script type="module" src="${base}${assets.script}"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <noscript>GraphiQL needs JavaScript.</noscript>
  </body>
</html>
`;
}

async function sizeOf(directory: string): Promise<number> {
  const files = await readdir(directory);
  const sizes = await Promise.all(files.map(async (file) => (await stat(join(directory, file))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** Cleans `dist/` and writes everything again; returns what the build took and made. */
export async function buildExplorer(): Promise<{ milliseconds: number; files: number; bytes: number }> {
  const startedAt = performance.now();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const workers = await buildWorkers();
  const assets = await buildApp(workers);
  await writeFile(join(outdir, explorerPageFile), page(assets));
  const files = (await readdir(outdir)).length;
  return { milliseconds: Math.round(performance.now() - startedAt), files, bytes: await sizeOf(outdir) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await buildExplorer();
  const megabytes = (report.bytes / 1024 / 1024).toFixed(1);
  console.log(`GraphiQL explorer built in ${report.milliseconds} ms: ${report.files} files, ${megabytes} MB in ${outdir}`);
}
