import { isCallException, isError } from 'ethers';
import { ChainCallRefusedError } from './chain-errors.ts';
import { nexusTokenInterface } from './nexus-token.ts';
import { nexusTokenFactoryInterface, nexusTokenImplementationInterface } from './nexus-token-factory.ts';

/** Every contract of the platform whose custom errors a revert may carry. */
const knownInterfaces = [nexusTokenInterface, nexusTokenFactoryInterface, nexusTokenImplementationInterface];

/**
 * The refusal an eth_call or eth_estimateGas error stands for, with the platform's contracts'
 * custom errors decoded (`EnforcedPause`, `ERC20InsufficientBalance(…)`); null when the error is
 * not a revert (the node could not be asked, say).
 */
export function revertRefusal(error: unknown, action: string): ChainCallRefusedError | null {
  if (!isCallException(error)) return null;
  const data = error.data;
  const description = data ? (knownInterfaces.map((known) => known.parseError(data)).find((parsed) => parsed !== null) ?? null) : null;
  if (description) {
    const args = description.fragment.inputs.map((input, index) => `${input.name}=${String(description.args[index])}`);
    return new ChainCallRefusedError(description.name, `${action} refused: ${description.name}(${args.join(', ')})`);
  }
  // Error(string), Panic(uint256) or a bare revert: ethers has decoded what there is.
  const reason = error.revert?.name ?? 'Reverted';
  return new ChainCallRefusedError(reason, `${action} refused: ${error.reason ?? error.shortMessage}`);
}

/**
 * The refusal a node's rejection of eth_sendRawTransaction stands for; null when the node
 * gave no JSON-RPC answer (then the error is not a refusal).
 */
export function broadcastRefusal(error: unknown): ChainCallRefusedError | null {
  const message = nodeMessage(error);
  if (message === null) return null;
  const code = (['NONCE_EXPIRED', 'INSUFFICIENT_FUNDS', 'REPLACEMENT_UNDERPRICED'] as const).find((known) =>
    isError(error, known),
  );
  return new ChainCallRefusedError(code ?? 'REJECTED', `transaction refused by the node: ${message}`);
}

/** The node's JSON-RPC error message, which ethers keeps under `info.error` or `error`. */
function nodeMessage(error: unknown): string | null {
  const wrapped = error as { info?: { error?: { message?: unknown } }; error?: { message?: unknown } } | null;
  const message = wrapped?.info?.error?.message ?? wrapped?.error?.message;
  return typeof message === 'string' ? message : null;
}
