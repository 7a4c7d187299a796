import { LogRangeTooLargeError } from './chain-errors.ts';

/**
 * How providers word "ask for fewer blocks" (Alchemy, Infura, QuickNode, geth, Erigon…):
 * there is no standard code (-32005, -32600, -32602, -32000 are all seen), so the words
 * decide.
 */
const rangeRefusal = /block range|range (is )?too (large|wide|big)|more than \d+ (results|logs|blocks)|too many (results|logs|blocks)|exceed(s|ed)? .*(range|limit|results)|limit exceeded|response size/i;

/** The `LogRangeTooLargeError` a failed eth_getLogs stands for; null when it is something else. */
export function logRangeRefusal(error: unknown): LogRangeTooLargeError | null {
  const wrapped = error as { info?: { error?: { message?: unknown } }; error?: { message?: unknown } } | null;
  const message = wrapped?.info?.error?.message ?? wrapped?.error?.message;
  if (typeof message !== 'string' || !rangeRefusal.test(message)) return null;
  return new LogRangeTooLargeError(`the node refused the log range: ${message}`);
}
