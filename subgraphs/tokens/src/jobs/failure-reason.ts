import { ChainCallRefusedError, ChainUnavailableError } from '../chain/index.ts';
import { ConfirmationTimeoutError } from './wait-for-confirmations.ts';

/** Why a chain job failed, said for the people who read `failureReason`. */
export function failureReason(error: unknown, context: { chainId: number; deployer: string | null }): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/insufficient funds/i.test(message)) {
    return `The deployer ${context.deployer ?? ''} cannot pay for gas on chain ${context.chainId}: fund it with the chain's currency, then try again.`;
  }
  if (error instanceof ChainUnavailableError) return `Chain ${context.chainId} did not answer: ${message}`;
  if (error instanceof ChainCallRefusedError) return `The chain refused the transaction: ${error.reason}`;
  if (error instanceof ConfirmationTimeoutError) return `Not confirmed in time: ${message}`;
  return `The transaction could not be completed: ${message}`;
}
