import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseEther, toQuantity, Wallet } from 'ethers';
import { afterEach, describe, expect, test } from 'vitest';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';

const started: EvmNode[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((node) => node.close()));
});

async function node(options?: Parameters<typeof startEvmNode>[0]): Promise<EvmNode> {
  const evm = await startEvmNode(options);
  started.push(evm);
  return evm;
}

async function rpc<T = any>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const headNumber = async (url: string) => Number(await rpc<string>(url, 'eth_blockNumber'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `url` refuses connections within 5 s (a keep-alive socket to a node just killed may fail otherwise first). */
async function refusesConnections(url: string): Promise<boolean> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(50)) {
    const outcome = await rpc(url, 'eth_chainId').then(
      () => 'answered',
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    if (outcome === 'ECONNREFUSED') return true;
  }
  return false;
}

describe('stopping and starting a node', () => {
  test('a stopped node refuses connections, and comes back on the same URL with the same head block, balances, receipts and old states', async () => {
    const evm = await node();
    const holder = Wallet.createRandom().address;
    await evm.fund(holder, '1.5');
    const fundedAt = await headNumber(evm.rpcUrl);
    const [fundingHash] = (await rpc(evm.rpcUrl, 'eth_getBlockByNumber', [toQuantity(fundedAt), false])).transactions;
    await evm.mine(2);
    const head = await rpc(evm.rpcUrl, 'eth_getBlockByNumber', ['latest', false]);

    await evm.stop();
    expect(await refusesConnections(evm.rpcUrl)).toBe(true);
    await evm.start();

    expect(await rpc(evm.rpcUrl, 'eth_getBlockByNumber', ['latest', false])).toMatchObject({ number: head.number, hash: head.hash });
    expect(await rpc(evm.rpcUrl, 'eth_getBalance', [holder, 'latest'])).toBe(toQuantity(parseEther('1.5')));
    expect(await rpc(evm.rpcUrl, 'eth_getBalance', [holder, toQuantity(fundedAt - 1)])).toBe('0x0');
    expect(await rpc(evm.rpcUrl, 'eth_getTransactionReceipt', [fundingHash])).toMatchObject({
      blockNumber: toQuantity(fundedAt),
      status: '0x1',
    });
    // The funder's nonce came back too: funding again lands on top of the old head.
    await evm.fund(holder, '1');
    expect(await headNumber(evm.rpcUrl)).toBe(Number(head.number) + 1);
  });

  test('mining stopped before a restart stays stopped after it: a transaction waits for mine()', async () => {
    const evm = await node();
    await evm.stopMining();
    await evm.stop();
    await evm.start();

    const hash = await rpc<string>(evm.rpcUrl, 'eth_sendTransaction', [
      { from: evm.funder.address, to: Wallet.createRandom().address, value: '0x1' },
    ]);
    await sleep(300);
    expect(await rpc(evm.rpcUrl, 'eth_getTransactionReceipt', [hash])).toBeNull();
    await evm.mine();
    expect(await rpc(evm.rpcUrl, 'eth_getTransactionReceipt', [hash])).toMatchObject({ status: '0x1' });
  });

  test('snapshots do not outlive a restart, nor does an old id name a new one', async () => {
    const evm = await node();
    const old = await evm.snapshot();
    await evm.stop();
    await evm.start();
    await evm.snapshot();
    await evm.mine();
    const head = await headNumber(evm.rpcUrl);

    await expect(evm.revert(old)).rejects.toThrow(/no snapshot/);
    expect(await headNumber(evm.rpcUrl)).toBe(head);
  });
});

describe('mining', () => {
  test('stopMining stops interval mining too, and startMining resumes it', async () => {
    const evm = await node({ blockTimeSeconds: 1 });
    await evm.stopMining();
    const stoppedAt = await headNumber(evm.rpcUrl);

    await sleep(1_500);
    expect(await headNumber(evm.rpcUrl)).toBe(stoppedAt);

    await evm.startMining();
    for (const deadline = Date.now() + 5_000; (await headNumber(evm.rpcUrl)) === stoppedAt; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('no block within 5 s of startMining()');
    }
  });

  test('mine(n) mines n blocks while automining', async () => {
    const evm = await node();
    const before = await headNumber(evm.rpcUrl);

    await evm.mine(3);

    expect(await headNumber(evm.rpcUrl)).toBe(before + 3);
  });

  test('reverting to a snapshot drops the blocks since, and consumes it and every later one', async () => {
    const evm = await node();
    const before = await headNumber(evm.rpcUrl);
    const first = await evm.snapshot();
    await evm.mine();
    const second = await evm.snapshot();
    await evm.mine();

    await evm.revert(first);

    expect(await headNumber(evm.rpcUrl)).toBe(before);
    await expect(evm.revert(second)).rejects.toThrow(/no snapshot/);
    await expect(evm.revert(first)).rejects.toThrow(/no snapshot/);
    expect(await headNumber(evm.rpcUrl)).toBe(before);
  });
});

// The node is a process of its own: a test worker ending without closing it must not leave it running.
test.each(['exits', 'is sent SIGTERM'])('a process that starts a node and %s takes the node along', async (ending) => {
  const script = `
    const { startEvmNode } = await import(process.argv[1]);
    const node = await startEvmNode();
    console.log(node.rpcUrl);
    process.stdin.once('data', () => process.exit(0));
  `;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, new URL('../testkit/evm-node.ts', import.meta.url).href],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  try {
    const [rpcUrl] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    expect(Number(await rpc(rpcUrl, 'eth_chainId'))).toBe(1337);

    if (ending === 'exits') child.stdin.write('exit\n');
    else child.kill('SIGTERM');
    const [code, signal] = await exited;

    // Dying of SIGTERM as it would have without the node: the handler gets out of the way.
    expect(ending === 'exits' ? code : signal).toBe(ending === 'exits' ? 0 : 'SIGTERM');
    expect(await refusesConnections(rpcUrl)).toBe(true);
  } finally {
    child.kill('SIGKILL');
  }
});
