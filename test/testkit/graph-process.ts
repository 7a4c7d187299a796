import { spawn } from 'node:child_process';
import { once } from 'node:events';

const repoRoot = new URL('../../', import.meta.url).pathname;

export interface GraphProcess {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Ends the process with SIGKILL: nothing in it gets to clean up, as when a machine dies. */
  kill(): Promise<void>;
}

/**
 * The whole graph as `pnpm start` runs it, in a process of its own (so that a test can
 * kill it), with exactly `env` (plus PATH). Resolves once it prints its endpoint.
 */
export async function startGraphProcess(env: Record<string, string>): Promise<GraphProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'launcher/src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the graph printed no endpoint:\n${output}`)), 60_000);
    const poll = setInterval(() => {
      const match = /GraphQL endpoint[^:]*: (http:\/\/\S+)/.exec(output);
      if (match) done(undefined, match[1]);
      else if (child.exitCode !== null) done(new Error(`the graph exited with ${child.exitCode}:\n${output}`));
    }, 100);
    function done(error?: Error, found?: string) {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(found!);
    }
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    output: () => output,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
