import { getAddress } from 'ethers';
import type { TokenCall } from './chain-client.ts';
import { nexusTokenInterface } from './nexus-token.ts';

/** The calldata of a NexusToken call. */
export function tokenCallData(call: TokenCall): string {
  switch (call.method) {
    case 'mint':
    case 'transfer':
      return nexusTokenInterface.encodeFunctionData(call.method, [getAddress(call.to), call.amount]);
    case 'burn':
      return nexusTokenInterface.encodeFunctionData('burn', [call.amount]);
    case 'pause':
    case 'unpause':
      return nexusTokenInterface.encodeFunctionData(call.method, []);
    default:
      return assertUnreachable(call);
  }
}

function assertUnreachable(call: never): never {
  throw new Error(`unknown token call ${JSON.stringify(call)}`);
}
