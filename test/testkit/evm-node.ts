import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseEther, toQuantity } from 'ethers';
import { anvilBinary } from './anvil-binary.ts';

/** An account whose key the test holds. */
export interface EvmAccount {
  /** Lower-case, as anvil reports it. */
  address: string;
  privateKey: string;
}

export interface EvmNode {
  /** The same for the node's whole life, across `stop()` and `start()`. */
  rpcUrl: string;
  /** 1337 unless asked otherwise. */
  chainId: number;
  /**
   * The same on every start (anvil's first account of its well-known test mnemonic),
   * holding 1000 ether.
   */
  funder: EvmAccount;
  /** Every funded account, the funder first (`accounts` of the options, 1 unless asked). */
  accounts: EvmAccount[];
  /**
   * Sends `ether` (a decimal string, e.g. `'1.5'`) from the funder to `address` and
   * returns once it is mined: at once when automining, at the next block with an interval,
   * and by mining a block itself while mining is stopped.
   */
  fund(address: string, ether: string): Promise<void>;
  /** Mines `blocks` (default 1) blocks at once, whatever the mining mode, with whatever is pending. */
  mine(blocks?: number): Promise<void>;
  /** The chain's state now; `revert(id)` returns to it, dropping every block since (a reorg). */
  snapshot(): Promise<string>;
  /**
   * Ids are single-use: reverting consumes the snapshot and every later one. `stop()`
   * drops them all.
   */
  revert(id: string): Promise<void>;
  /** Transactions stay pending until `mine()` or `startMining()`. */
  stopMining(): Promise<void>;
  startMining(): Promise<void>;
  /**
   * Takes the node down, as when a provider's node fails: `rpcUrl` refuses connections
   * until `start()`. The chain is kept (every block, receipt and state, old states
   * included); what a real node would lose goes: transactions still pending, snapshots.
   * Nothing happens when it is already stopped.
   */
  stop(): Promise<void>;
  /**
   * Brings a stopped node back on the same `rpcUrl` with the chain it had, in the mining
   * mode it had. Nothing happens when it is running.
   *
   * @throws when the port stays taken for 5 s: while the node was down, the system was
   *   free to give its port to another process (an outgoing connection's, even), which is
   *   rare but not impossible. And after `close()`.
   */
  start(): Promise<void>;
  /** Kills the node for good. */
  close(): Promise<void>;
}

/**
 * A local EVM chain of the test's own: anvil (from `@foundry-rs/anvil`, a process of its
 * own) on 127.0.0.1 and a free port. Each transaction is mined into its own block as it
 * arrives, unless `blockTimeSeconds` asks for a block every so often instead (to test
 * waiting for confirmations against a clock). `chainId` lets test files that share a
 * database (where chains are keyed by id) each have a chain of their own. It runs
 * anvil's latest hardfork, as real chains do; the contracts' shanghai bytecode runs on it.
 *
 * Anvil listens on port 0 and the port is read from its banner: a port picked beforehand
 * could be taken in between. That banner is why it is not run `--silent`; its log of
 * every request is read and dropped, so that a full pipe never stalls it. It is killed,
 * and its directory (anvil's config and saved state) removed, when this process exits or
 * is sent SIGTERM (as vitest ends a worker); not when this process is SIGKILLed: nothing
 * but a process in between could see that.
 *
 * Where anvil 1.7 differs from ganache 7, which this used to run, or surprises (worth
 * knowing when a test surprises you):
 * - `evm_setAutomine(false)` leaves interval mining (`--block-time`) on; only
 *   `evm_setIntervalMining(0)` stops that.
 * - `evm_revert` keeps the snapshots taken after the one reverted to, and reverting to one
 *   of those then answers "Resource not found" yet rewinds the head's number: this node
 *   drops them itself, so that ids stay single-use as `revert` says.
 * - `evm_mine` takes `{ blocks }` only with a `timestamp` beside it, and a bare number is
 *   a timestamp, not a count: `anvil_mine(count)` is what mines n blocks.
 * - `anvil_dumpState` answers gzipped JSON, which `--load-state` reads only unzipped;
 *   without its `true` argument it keeps no old states, and reads at older blocks fail
 *   after the restart.
 * - Default accounts hold 10 000 ether; this asks for 1000, as ganache gave.
 * - Unlike ganache, it refuses a transaction at nonce 0 once that nonce is used (a mined
 *   one sent again included: "nonce too low"), and `eth_getTransactionCount(…, 'pending')`
 *   counts its pool.
 */
export interface EvmNodeOptions {
  blockTimeSeconds?: number;
  /** 1337 unless given. */
  chainId?: number;
  /** Funded accounts (1000 ether each) whose keys the test gets in `accounts` (default 1). */
  accounts?: number;
  /**
   * The fork rules to run, e.g. `shanghai` (what the contracts are compiled for, so that a
   * newer opcode slipping into them fails); anvil's latest when not given.
   */
  hardfork?: string;
}

export async function startEvmNode(options: EvmNodeOptions = {}): Promise<EvmNode> {
  const chainId = options.chainId ?? 1337;
  const blockTime = options.blockTimeSeconds;
  const directory = await mkdtemp(join(tmpdir(), 'evm-node-'));
  directories.add(directory);
  watchLeftovers();
  const removeDirectory = async () => {
    await rm(directory, { recursive: true, force: true });
    directories.delete(directory);
    watchLeftovers();
  };
  const configFile = join(directory, 'config.json');
  const stateFile = join(directory, 'state.json');
  const args = ['--host', '127.0.0.1', '--chain-id', String(chainId), '--accounts', String(options.accounts ?? 1), '--balance', '1000'];
  if (options.hardfork) args.push('--hardfork', options.hardfork);
  args.push('--config-out', configFile);
  if (blockTime) args.push('--block-time', String(blockTime));

  let running: Anvil | null;
  try {
    running = await launch([...args, '--port', '0'], chainId);
  } catch (error) {
    await removeDirectory();
    throw error;
  }
  const { port } = running;
  const rpcUrl = `http://127.0.0.1:${port}`;
  const call = <T>(method: string, params: unknown[] = []) => rpc<T>(rpcUrl, method, params);
  const config = JSON.parse(await readFile(configFile, 'utf8')) as { available_accounts: string[]; private_keys: string[] };
  const accounts = config.available_accounts.map((address, index) => ({ address, privateKey: config.private_keys[index]! }));
  const funder = accounts[0]!;
  let miningStopped = false;
  let closed = false;
  // Anvil's own ids for the snapshots still valid, oldest first. Anvil keeps snapshots taken
  // after the one reverted to, and reverting to one of those fails half-way (see above):
  // what is dropped here is never sent to it. Its ids also start again at 0x0 after a
  // restart, so tests get ids of this node's whole life instead.
  const snapshots: { id: string; anvilId: string }[] = [];
  let snapshotCount = 0;

  const mine = async (blocks = 1) => {
    await call('anvil_mine', [toQuantity(blocks)]);
  };
  // Interval mining is a mode of its own: turning automining off does not end it.
  const setMining = async (on: boolean) => {
    if (blockTime) await call('evm_setIntervalMining', [on ? blockTime : 0]);
    else await call('evm_setAutomine', [on]);
  };

  return {
    rpcUrl,
    chainId,
    funder,
    accounts,
    async fund(address, ether) {
      const hash = await call<string>('eth_sendTransaction', [
        { from: funder.address, to: address, value: toQuantity(parseEther(ether)) },
      ]);
      if (miningStopped) await mine();
      while (!(await call('eth_getTransactionReceipt', [hash]))) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    mine,
    async snapshot() {
      const id = `snapshot-${++snapshotCount}`;
      snapshots.push({ id, anvilId: await call<string>('evm_snapshot') });
      return id;
    },
    async revert(id) {
      const index = snapshots.findIndex((snapshot) => snapshot.id === id);
      if (index < 0) {
        throw new Error(`no snapshot ${id} to revert to (each id can be reverted to once, and none outlives stop())`);
      }
      const { anvilId } = snapshots.splice(index)[0]!;
      if (!(await call<boolean>('evm_revert', [anvilId]))) throw new Error(`anvil has no snapshot ${anvilId} for ${id}`);
    },
    async stopMining() {
      await setMining(false);
      miningStopped = true;
    },
    async startMining() {
      await setMining(true);
      miningStopped = false;
    },
    async stop() {
      if (!running) return;
      // No block may land between the dump and the kill: the node would come back without it.
      await setMining(false);
      // Asked for rather than left to `--state`, which dumps when anvil exits on a signal:
      // on Windows a kill ends it outright. `true` keeps the states of older blocks, so
      // that reads at them still answer.
      const dump = await call<string>('anvil_dumpState', [true]);
      await writeFile(stateFile, gunzipSync(Buffer.from(dump.slice(2), 'hex')));
      const anvil = running;
      running = null;
      snapshots.length = 0;
      await terminate(anvil.child);
    },
    async start() {
      if (closed) throw new Error('the node is closed');
      if (running) return;
      const again = [...args, '--port', String(port), '--load-state', stateFile];
      for (const started = Date.now(); ; ) {
        try {
          running = await launch(again, chainId);
          break;
        } catch (error) {
          if (!/address already in use/i.test(String(error)) || Date.now() - started > 5_000) {
            throw new Error(`anvil did not start again on port ${port}: ${(error as Error).message}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      // A started anvil mines as its arguments say; the test may have stopped that.
      if (miningStopped) await setMining(false);
    },
    async close() {
      closed = true;
      const anvil = running;
      running = null;
      if (anvil) await terminate(anvil.child);
      await removeDirectory();
    },
  };
}

interface Anvil {
  child: ChildProcess;
  port: number;
}

/** Spawns anvil and returns once it answers as `chainId` (killing it when it does not). */
async function launch(args: string[], chainId: number): Promise<Anvil> {
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  watchLeftovers();
  child.once('exit', () => {
    children.delete(child);
    watchLeftovers();
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      // Generous: a loaded CI machine starts processes slowly.
      const timer = setTimeout(() => reject(new Error('anvil did not start listening within 20 s')), 20_000);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`anvil exited at start (${signal ?? `code ${String(code)}`}): ${stderr.trim()}`)),
      );
      let banner = '';
      let listening = false;
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (listening) return;
        banner += chunk;
        const address = /Listening on [\d.]+:(\d+)/.exec(banner);
        if (!address) return;
        listening = true;
        clearTimeout(timer);
        resolve(Number(address[1]));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const served = Number(await rpc<string>(url, 'eth_chainId'));
    if (served !== chainId) throw new Error(`anvil on port ${port} serves chain ${served}, not ${chainId}`);
    return { child, port };
  } catch (error) {
    await terminate(child);
    throw error;
  }
}

/** SIGTERM (anvil stops at once), SIGKILL if it has not after 2 s; resolves once it has exited. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

// What this process must not leave behind when it ends without closing its nodes (a test
// worker ended mid-file): anvil processes, and the nodes' directories.
const children = new Set<ChildProcess>();
const directories = new Set<string>();
let watching = false;

function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
}

// Without a listener, SIGTERM ends node without its 'exit' event; with one, it would not
// end it at all. So: clean up, then let the signal do what it would have done.
function onSigterm(): void {
  cleanUp();
  process.off('SIGTERM', onSigterm);
  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
}

/** Listens for this process' end while there is anything to clean up, and only then. */
function watchLeftovers(): void {
  const anything = children.size + directories.size > 0;
  if (anything === watching) return;
  watching = anything;
  if (anything) {
    process.on('exit', cleanUp);
    process.on('SIGTERM', onSigterm);
  } else {
    process.off('exit', cleanUp);
    process.off('SIGTERM', onSigterm);
  }
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
