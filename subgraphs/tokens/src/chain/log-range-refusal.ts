import { LogRangeTooLargeError } from './chain-errors.ts';

/**
 * How providers word "ask for fewer blocks" (Alchemy, Infura, QuickNode, Tenderly, geth,
 * reth, Erigon…): there is no standard code (-32005, -32600, -32602, -32614, -32000 are
 * all seen), so the words decide. Some put them in the error's `data` under a bare
 * "invalid params" message (Tenderly: "range 9009594 is bigger than range limit 2000"),
 * and some name no block at all (QuickNode: "eth_getLogs is limited to a 10,000 range").
 */
const rangeRefusal =
  /block range|range (is )?too (large|wide|big)|range limit|limited to (a )?[\d,]+ (blocks? )?range|more than [\d,]+ (results|logs|blocks)|too many (results|logs|blocks)|exceed(s|ed)? .*(range|limit|results)|limit exceeded|response size/i;

/** The `LogRangeTooLargeError` a failed eth_getLogs stands for; null when it is something else. */
export function logRangeRefusal(error: unknown): LogRangeTooLargeError | null {
  const wrapped = error as { info?: { error?: RpcError }; error?: RpcError } | null;
  const rpcError = wrapped?.info?.error ?? wrapped?.error;
  const message = typeof rpcError?.message === 'string' ? rpcError.message : null;
  const data = typeof rpcError?.data === 'string' ? rpcError.data : rpcError?.data == null ? null : JSON.stringify(rpcError.data);
  const words = [message, data].filter((part) => part !== null).join(' — ');
  if (!rangeRefusal.test(words)) return null;
  return new LogRangeTooLargeError(`the node refused the log range: ${words}`);
}

/** A JSON-RPC error object, as the node sent it (ethers keeps it on the error it throws). */
interface RpcError {
  message?: unknown;
  data?: unknown;
}
