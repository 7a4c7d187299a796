/**
 * What a token costs to create, in gas, each of the two ways token-nexus can: NexusToken
 * deployed in full (its whole bytecode every time), or an EIP-1167 clone from
 * NexusTokenFactory (45 bytes of proxy, plus the one-off deployment of the implementation
 * and the factory). On a fresh anvil of its own; prints min/median/max gas per token each
 * way, the one-off cost, the ratio, from which token on the factory is the cheaper way, and
 * what a clone's proxy adds to each later call (one transfer each way).
 *
 * Gas, not time: the figures are exact and the same on every machine, for the hard fork
 * anvil runs (printed; the gas schedule of deployments has not changed since Shanghai).
 * `pnpm bench:token-gas`; tune with:
 *
 * - BENCH_TOKENS: tokens created each way (default 20)
 * - BENCH_HARDFORK: anvil's --hardfork (default: anvil's latest)
 */
import { startEvmNode } from '@token-nexus/test/testkit/evm-node';
import { measureTokenCreationGas } from '@token-nexus/test/testkit/token-creation-gas';
import { progress, runBenchmark } from './kit/run-benchmark.ts';
import { formatTable } from './kit/table.ts';

const count = Number(process.env.BENCH_TOKENS ?? 20);
const hardfork = process.env.BENCH_HARDFORK;

runBenchmark(async () => {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`BENCH_TOKENS must be a positive integer, got ${process.env.BENCH_TOKENS}`);
  }
  progress(`starting anvil${hardfork ? ` (${hardfork})` : ''}`);
  const node = await startEvmNode({ chainId: 31337, ...(hardfork ? { hardfork } : {}) });
  try {
    const ranHardfork = await nodeHardfork(node.rpcUrl);
    progress(`creating ${count} tokens each way`);
    const gas = await measureTokenCreationGas(node.rpcUrl, count, node.funder.privateKey);

    const full = summary(gas.fullDeployments);
    const clone = summary(gas.clones);
    const oneOff = gas.implementation + gas.factory;
    const saving = full.median - clone.median;
    console.log(`Gas per token, ${count} tokens each way (anvil, hard fork ${ranHardfork})\n`);
    console.log(
      formatTable(
        [{ title: 'way' }, { title: 'min', align: 'right' }, { title: 'median', align: 'right' }, { title: 'max', align: 'right' }],
        [
          ['NexusToken deployed in full', ...[full.min, full.median, full.max].map(grouped)],
          ['clone via factory.createToken', ...[clone.min, clone.median, clone.max].map(grouped)],
        ],
      ),
    );
    console.log(
      `\none-off: implementation ${grouped(gas.implementation)} + factory ${grouped(gas.factory)} = ${grouped(oneOff)} gas`,
    );
    console.log(`full / clone (medians): ${(Number(full.median) / Number(clone.median)).toFixed(2)}×`);
    console.log(
      `a transfer afterwards (to a new holder): ${grouped(gas.transfer.full)} gas on a full token, ` +
        `${grouped(gas.transfer.clone)} on a clone (+${grouped(gas.transfer.clone - gas.transfer.full)} ` +
        `for the proxy's DELEGATECALL, on every call)`,
    );
    if (saving <= 0n) {
      console.log('break-even: never (a clone costs no less than a full deployment)');
    } else {
      // n clones plus the one-off cost no more than n full deployments from n = ⌈oneOff / saving⌉.
      const breakEven = (oneOff + saving - 1n) / saving;
      console.log(
        `break-even: ${breakEven} tokens (each clone saves ${grouped(saving)} gas; ` +
          `from ${breakEven} tokens on, the factory way has cost no more in total)`,
      );
    }
  } finally {
    await node.close();
  }
});

interface Summary {
  min: bigint;
  /** The middle value; the mean of the two middle ones for an even count (rounded down). */
  median: bigint;
  max: bigint;
}

function summary(values: readonly bigint[]): Summary {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2n;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

function grouped(value: bigint): string {
  return value.toLocaleString('en-US');
}

/** The hard fork anvil runs, as it names it. */
async function nodeHardfork(rpcUrl: string): Promise<string> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_nodeInfo', params: [] }),
  });
  const body = (await response.json()) as { result?: { hardFork?: string } };
  return body.result?.hardFork ?? 'unknown';
}
