import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { anvilBinary } from './anvil-binary.ts';

/**
 * The private key of anvil's first default account (of the well-known test mnemonic
 * `test test … junk`), funded with 10 000 ether on every start. Public knowledge: never
 * use it anywhere but a local chain.
 */
export const anvilFirstKey = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/** The second default account's key, as funded: a second sender without a funding step. */
export const anvilSecondKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export interface AnvilNode {
  rpcUrl: string;
  /** 31337, anvil's default. */
  chainId: number;
  /** Kills the node; its chain is gone with it. */
  close(): Promise<void>;
}

export interface AnvilOptions {
  /**
   * The fork rules to run, e.g. `shanghai` (what the contracts are compiled for, so that a
   * newer opcode slipping into them fails); anvil's latest when not given.
   */
  hardfork?: string;
}

/**
 * A local chain of the caller's own: anvil from the `@foundry-rs/anvil` package, on
 * 127.0.0.1, mining each transaction into its own block as it arrives.
 *
 * It listens on port 0 and this reads the port it got from its banner: a port picked
 * beforehand could be taken in between, by another test file's node even, which a poll for
 * an answer would then mistake for this one. That banner is why it does not run
 * `--silent`; its log of every request is read and dropped, so that a full pipe never
 * stalls it.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const args = ['--host', '127.0.0.1', '--port', '0'];
  if (options.hardfork) args.push('--hardfork', options.hardfork);
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = once(child, 'exit');

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };

  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('anvil did not start listening within 10 s')), 10_000);
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`anvil exited at start (code ${String(code)}): ${stderr.join('').trim()}`)),
      );
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const listening = /^Listening on (\S+)$/.exec(line.trim());
        if (!listening) return;
        clearTimeout(timer);
        resolve(listening[1]!);
      });
    });
    const rpcUrl = `http://${address}`;
    const chainId = Number(await rpc(rpcUrl, 'eth_chainId'));
    return { rpcUrl, chainId, close: kill };
  } catch (error) {
    await kill();
    throw error;
  }
}

async function rpc(rpcUrl: string, method: string): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
