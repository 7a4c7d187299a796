import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const repoRoot = new URL('../../', import.meta.url).pathname;

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's entry points (a `main.ts`, a CLI) as its own Node process
 * from the repository root (or `options.cwd`, another checkout of it), with exactly `env`
 * (plus PATH), as a container or an operator would. Resolves with the exit code and
 * output whether it succeeds or fails.
 */
export async function runEntryPoint(
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<ProcessResult> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: options.cwd ?? repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
