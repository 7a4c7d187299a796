import { execFile } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import {
  ChainCallRefusedError,
  ChainUnavailableError,
  createChainClient,
  nexusTokenAbi,
  type ChainClient,
  type ReceiptStatus,
  type SignedTransaction,
  type TokenCall,
} from '@token-nexus/tokens/chain';
import { Contract, JsonRpcProvider, Wallet, ZeroAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';

let node: EvmNode;
let client: ChainClient;

beforeAll(async () => {
  node = await startEvmNode();
  client = createChainClient({ rpcUrl: node.rpcUrl, chainId: node.chainId });
});

afterAll(async () => {
  await client?.close();
  await node?.close();
});

/** A fresh account with `ether` to pay for gas. */
async function fundedWallet(ether = '10'): Promise<Wallet> {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  await node.fund(wallet.address, ether);
  return wallet;
}

/** Broadcasts and waits for the receipt (automining mines it at once; the wait is a safety net). */
async function sendAndMine(signed: SignedTransaction): Promise<ReceiptStatus> {
  await client.broadcast(signed.rawTransaction);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const receipt = await client.receipt(signed.hash);
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new Error(`${signed.hash} not mined`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function deployToken(owner: Wallet, initialSupply = 1_000n) {
  const deployment = await client.signDeployment(
    owner.privateKey,
    { name: 'Nexus Test', symbol: 'NXT', decimals: 18, initialSupply, owner: owner.address },
    await client.nonceOf(owner.address),
  );
  const receipt = await sendAndMine(deployment);
  expect(receipt.status).toBe('success');
  return { address: deployment.contractAddress, deployment, receipt };
}

async function call(signer: Wallet, token: string, tokenCall: TokenCall) {
  const signed = await client.signCall(signer.privateKey, token, tokenCall, await client.nonceOf(signer.address));
  const receipt = await sendAndMine(signed);
  expect(receipt.status).toBe('success');
  return { signed, receipt };
}

/** What `promise` rejects with (failing the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => new Error('expected a rejection, got a result'),
    (error: Error) => ({ error }),
  );
  if (outcome instanceof Error) throw outcome;
  return outcome.error;
}

describe('deploying', () => {
  test('a signed deployment creates the token at the address it names, initial supply to the owner', async () => {
    const owner = await fundedWallet();
    const deployment = await client.signDeployment(
      owner.privateKey,
      { name: 'Nexus Gold', symbol: 'NXG', decimals: 6, initialSupply: 5_000_000n, owner: owner.address },
      await client.nonceOf(owner.address),
    );
    expect(deployment).toMatchObject({ from: owner.address, nonce: 0 });
    expect(await client.receipt(deployment.hash)).toBeNull();

    const receipt = await sendAndMine(deployment);

    expect(receipt).toMatchObject({ status: 'success', contractAddress: deployment.contractAddress, confirmations: 1 });
    expect(receipt.gasUsed).toBeGreaterThan(0n);
    expect(await client.balanceOf(deployment.contractAddress, owner.address)).toBe(5_000_000n);
    expect(await client.paused(deployment.contractAddress)).toBe(false);
    const reader = new JsonRpcProvider(node.rpcUrl, node.chainId, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const token = new Contract(deployment.contractAddress, nexusTokenAbi, reader);
      expect([await token.getFunction('name')(), await token.getFunction('symbol')()]).toEqual(['Nexus Gold', 'NXG']);
      expect(await token.getFunction('decimals')()).toBe(6n);
      expect(await token.getFunction('owner')()).toBe(owner.address);
    } finally {
      reader.destroy();
    }
  });

  test('broadcasting the same signed deployment again, pending or mined, deploys it once', async () => {
    const owner = await fundedWallet();
    const deployment = await client.signDeployment(
      owner.privateKey,
      { name: 'Once', symbol: 'ONE', decimals: 18, initialSupply: 7n, owner: owner.address },
      0,
    );

    await node.stopMining();
    try {
      await client.broadcast(deployment.rawTransaction);
      await client.broadcast(deployment.rawTransaction);
      expect(await client.receipt(deployment.hash)).toBeNull();
      await node.mine();
    } finally {
      await node.startMining();
    }
    await client.broadcast(deployment.rawTransaction);

    expect(await client.receipt(deployment.hash)).toMatchObject({ status: 'success', contractAddress: deployment.contractAddress });
    expect(await client.nonceOf(owner.address)).toBe(1);
    expect(await client.balanceOf(deployment.contractAddress, owner.address)).toBe(7n);
  });

  test('a different transaction on a nonce already used is refused by the node', async () => {
    const owner = await fundedWallet();
    const { address: token } = await deployToken(owner);
    await call(owner, token, { method: 'mint', to: owner.address, amount: 1n });
    const reuse = await client.signCall(owner.privateKey, token, { method: 'mint', to: owner.address, amount: 2n }, 1);

    const error = await rejection(client.broadcast(reuse.rawTransaction));

    expect(error).toBeInstanceOf(ChainCallRefusedError);
    expect(error.message).toMatch(/nonce/);
    expect(await client.receipt(reuse.hash)).toBeNull();
    expect(await client.balanceOf(token, owner.address)).toBe(1_001n);
  });
  test('a transaction from an account without ether for gas is refused by the node', async () => {
    const poor = Wallet.createRandom();
    const deployment = await client.signDeployment(
      poor.privateKey,
      { name: 'Broke', symbol: 'BRK', decimals: 18, initialSupply: 1n, owner: poor.address },
      0,
    );

    const error = await rejection(client.broadcast(deployment.rawTransaction));

    expect(error).toMatchObject({ reason: 'INSUFFICIENT_FUNDS', message: expect.stringMatching(/insufficient funds/i) });
    expect(await client.receipt(deployment.hash)).toBeNull();
  });
});

describe('calling a deployed token', () => {
  test('mint, transfer, burn, pause and unpause change balances and leave transfer logs', async () => {
    const owner = await fundedWallet();
    const alice = await fundedWallet('1');
    const bob = Wallet.createRandom();
    const { address: token, receipt: deployed } = await deployToken(owner, 1_000n);

    const mint = await call(owner, token, { method: 'mint', to: alice.address, amount: 500n });
    const transfer = await call(alice, token, { method: 'transfer', to: bob.address, amount: 200n });
    const burn = await call(alice, token, { method: 'burn', amount: 50n });
    await call(owner, token, { method: 'pause' });
    expect(await client.paused(token)).toBe(true);
    await call(owner, token, { method: 'unpause' });
    expect(await client.paused(token)).toBe(false);

    expect(await client.balanceOf(token, owner.address)).toBe(1_000n);
    expect(await client.balanceOf(token, alice.address)).toBe(250n);
    expect(await client.balanceOf(token, bob.address)).toBe(200n);

    const logs = await client.transferLogs(token, deployed.blockNumber, await client.headNumber());
    expect(logs.map(({ from, to, value }) => ({ from, to, value }))).toEqual([
      { from: ZeroAddress, to: owner.address, value: 1_000n },
      { from: ZeroAddress, to: alice.address, value: 500n },
      { from: alice.address, to: bob.address, value: 200n },
      { from: alice.address, to: ZeroAddress, value: 50n },
    ]);
    expect(logs.slice(1).map(({ transactionHash, blockNumber, blockHash }) => ({ transactionHash, blockNumber, blockHash }))).toEqual(
      [mint, transfer, burn].map(({ signed, receipt }) => ({
        transactionHash: signed.hash,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
      })),
    );
    expect(await client.transferLogs(token, deployed.blockNumber + 1, deployed.blockNumber + 1)).toHaveLength(1);
  });

  test('a transfer while the token is paused is refused before signing, naming EnforcedPause', async () => {
    const owner = await fundedWallet();
    const { address: token } = await deployToken(owner);
    await call(owner, token, { method: 'pause' });
    const nonce = await client.nonceOf(owner.address);

    const error = await rejection(
      client.signCall(owner.privateKey, token, { method: 'transfer', to: Wallet.createRandom().address, amount: 1n }, nonce),
    );

    expect(error).toBeInstanceOf(ChainCallRefusedError);
    expect(error).toMatchObject({ reason: 'EnforcedPause', message: expect.stringContaining('EnforcedPause') });
    expect(await client.nonceOf(owner.address)).toBe(nonce);
  });

  test('a transfer signed before the token was paused is mined as reverted', async () => {
    const owner = await fundedWallet();
    const alice = await fundedWallet('1');
    const { address: token } = await deployToken(owner);
    await call(owner, token, { method: 'transfer', to: alice.address, amount: 10n });
    const transfer = await client.signCall(
      alice.privateKey,
      token,
      { method: 'transfer', to: owner.address, amount: 10n },
      await client.nonceOf(alice.address),
    );
    await call(owner, token, { method: 'pause' });

    const receipt = await sendAndMine(transfer);

    expect(receipt).toMatchObject({ status: 'reverted', contractAddress: null });
    expect(await client.balanceOf(token, alice.address)).toBe(10n);
    expect(await client.nonceOf(alice.address)).toBe(transfer.nonce + 1);
  });

  test('a mint signed by anyone but the owner is refused', async () => {
    const owner = await fundedWallet();
    const stranger = await fundedWallet('1');
    const { address: token } = await deployToken(owner);

    const error = await rejection(
      client.signCall(stranger.privateKey, token, { method: 'mint', to: stranger.address, amount: 1n }, 0),
    );

    expect(error).toMatchObject({ reason: 'OwnableUnauthorizedAccount', message: expect.stringContaining(stranger.address) });
    expect(await client.balanceOf(token, stranger.address)).toBe(0n);
  });

  test('transferring more than the balance is refused with the balance and the amount', async () => {
    const owner = await fundedWallet();
    const { address: token } = await deployToken(owner, 10n);

    const error = await rejection(
      client.signCall(owner.privateKey, token, { method: 'transfer', to: Wallet.createRandom().address, amount: 11n }, 1),
    );

    expect(error).toMatchObject({ reason: 'ERC20InsufficientBalance' });
    expect(error.message).toMatch(/balance=10, needed=11/);
  });
});

describe('following the chain', () => {
  test('confirmations grow as blocks are mined on top of the receipt', async () => {
    const owner = await fundedWallet();
    const { deployment, receipt } = await deployToken(owner);
    expect(receipt.confirmations).toBe(1);

    await node.mine(3);

    expect(await client.receipt(deployment.hash)).toMatchObject({ confirmations: 4, blockHash: receipt.blockHash });
    const head = await client.headNumber();
    expect(head).toBe(receipt.blockNumber + 3);
    expect(await client.blockHash(receipt.blockNumber)).toBe(receipt.blockHash);
    expect(await client.blockHash(head + 1)).toBeNull();
  });

  test('a reverted-to snapshot drops the receipt and changes the block hash (a reorg)', async () => {
    const owner = await fundedWallet();
    const { address: token } = await deployToken(owner);
    const snapshot = await node.snapshot();
    const { signed, receipt } = await call(owner, token, { method: 'mint', to: owner.address, amount: 1n });

    await node.revert(snapshot);
    await node.mine();

    expect(await client.receipt(signed.hash)).toBeNull();
    expect(await client.blockHash(receipt.blockNumber)).not.toBe(receipt.blockHash);
    expect(await client.balanceOf(token, owner.address)).toBe(1_000n);
  });
});

describe('an unusable node', () => {
  test('a node that accepts connections and never answers fails within the timeout', async () => {
    const silent = await startSilentServer();
    const slow = createChainClient({ rpcUrl: silent.url, chainId: 1337 }, { timeoutMs: 300 });
    try {
      const started = Date.now();
      const error = await rejection(slow.headNumber());
      expect(error).toBeInstanceOf(ChainUnavailableError);
      expect(error.message).toMatch(/did not answer within 300 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(silent.connections()).toBeGreaterThan(0);
    } finally {
      await slow.close();
      await silent.close();
    }
  });

  test('closing the client ends its requests in flight and refuses later ones as retryable', async () => {
    const silent = await startSilentServer();
    const waiting = createChainClient({ rpcUrl: silent.url, chainId: 1337 }, { timeoutMs: 60_000 });
    try {
      const request = rejection(waiting.headNumber());
      while (silent.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const started = Date.now();
      await waiting.close();
      const error = await request;
      expect(error).toBeInstanceOf(ChainUnavailableError);
      expect(error.message).toMatch(/closed/);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await rejection(waiting.headNumber())).toBeInstanceOf(ChainUnavailableError);
    } finally {
      await silent.close();
    }
  });

  test('a closed port fails at once with ChainUnavailableError', async () => {
    const closed = await startSilentServer();
    await closed.close();
    const unreachable = createChainClient({ rpcUrl: closed.url, chainId: 1337 }, { timeoutMs: 5_000 });
    try {
      const started = Date.now();
      const error = await rejection(unreachable.nonceOf(ZeroAddress));
      expect(error).toBeInstanceOf(ChainUnavailableError);
      expect(error.message).toMatch(/unreachable: ECONNREFUSED/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await unreachable.close();
    }
  });

  test('credentials in the RPC URL are sent as Basic auth, and a refusal does not echo them', async () => {
    // A node behind Basic auth, as some providers run them: only the two methods used here.
    const guarded = createHttpServer((request, response) => {
      if (request.headers.authorization !== `Basic ${Buffer.from('reader:s3cret').toString('base64')}`) {
        response.writeHead(401).end();
        return;
      }
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string };
        const result = { eth_chainId: '0x539', eth_blockNumber: '0x2a' }[method];
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));
      });
    });
    await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
    const { port } = guarded.address() as AddressInfo;
    const allowed = createChainClient({ rpcUrl: `http://reader:s3cret@127.0.0.1:${port}/`, chainId: 1337 });
    const refused = createChainClient({ rpcUrl: `http://reader:wrong-s3cret@127.0.0.1:${port}/`, chainId: 1337 });
    try {
      expect(await allowed.headNumber()).toBe(42);
      const error = await rejection(refused.headNumber());
      expect(error).toBeInstanceOf(ChainUnavailableError);
      expect(error.message).toMatch(/HTTP 401/);
      expect(error.message).not.toMatch(/s3cret/);
    } finally {
      await allowed.close();
      await refused.close();
      guarded.closeAllConnections();
      await new Promise((resolve) => guarded.close(resolve));
    }
  });

  test('a node serving another chain id is refused with both ids in the message', async () => {
    const mainnet = createChainClient({ rpcUrl: node.rpcUrl, chainId: 1 });
    try {
      const error = await rejection(mainnet.headNumber());
      expect(error).toBeInstanceOf(ChainUnavailableError);
      expect(error.message).toMatch(/serves chain 1337, not the configured chain 1/);
      expect(await rejection(mainnet.balanceOfEth(node.funder.address))).toBeInstanceOf(ChainUnavailableError);
    } finally {
      await mainnet.close();
    }
  });
});

test('a closed client leaves nothing that keeps the process alive', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', new URL('./client-then-exit.ts', import.meta.url).pathname, node.rpcUrl],
    { timeout: 10_000 },
  );
  expect(stdout.trim()).toMatch(/^head \d+$/);
});

/** A TCP server that accepts connections and never says a word. */
async function startSilentServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
