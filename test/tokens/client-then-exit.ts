import { createChainClient } from '@token-nexus/tokens/chain';

/**
 * Run by chain-client.test.ts as its own process: uses a chain client against the node at
 * argv[2], closes it and returns. The process must then exit by itself; a timer, poller
 * or socket left behind by the client would keep it running (and fail the test).
 */
const client = createChainClient({ rpcUrl: process.argv[2]!, chainId: 1337 }, { timeoutMs: 60_000 });
const head = await client.headNumber();
await client.nonceOf('0x0000000000000000000000000000000000000001');
await client.close();
console.log(`head ${head}`);
