import { Interface } from 'ethers';
import type { ChainClient } from './chain-client.ts';
import { ChainUnavailableError } from './chain-errors.ts';

/**
 * The ERC-20 reads an import checks (the standard's own, whatever contract answers them).
 * `decimals` is a uint8 in the standard, but read as the full word it comes in: ethers
 * decodes a uint8 by keeping the word's low byte, so an answer of 300 would pass as 44.
 */
const erc20 = new Interface([
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint256)',
  'function totalSupply() view returns (uint256)',
]);

export interface Erc20Metadata {
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: bigint;
}

/** Why an address is not a token the platform can follow, said for the person importing it. */
export class NotAnErc20Error extends Error {
  override readonly name = 'NotAnErc20Error';
}

/** Printable, not empty, not absurdly long: what a name or symbol shown in a dashboard must be. */
const sane = (value: string, max: number) =>
  value.trim().length > 0 && value.length <= max && [...value].every((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f);

/**
 * Reads an ERC-20's name, symbol, decimals and total supply at `address`, checking that
 * the address holds code and each answer decodes as the standard says and is sane.
 * Throws `NotAnErc20Error` saying what is wrong; `ChainUnavailableError` when the chain
 * cannot be asked. Tokens from before the standard settled (a bytes32 name, like MKR's)
 * are refused: their answers do not decode as strings.
 */
export async function readErc20Metadata(client: ChainClient, address: string): Promise<Erc20Metadata> {
  if ((await client.codeAt(address)) === '0x') throw new NotAnErc20Error(`${address} holds no contract on chain ${client.chainId}`);
  const read = async (method: 'name' | 'symbol' | 'decimals' | 'totalSupply') => {
    let result: string;
    try {
      result = await client.call(address, erc20.encodeFunctionData(method));
    } catch (error) {
      if (error instanceof ChainUnavailableError) throw error;
      throw new NotAnErc20Error(`${address} does not answer ERC-20's ${method}() (it reverts)`);
    }
    try {
      return erc20.decodeFunctionResult(method, result)[0] as unknown;
    } catch {
      throw new NotAnErc20Error(`${address} answers ERC-20's ${method}() with something that is not a ${method === 'name' || method === 'symbol' ? 'string' : 'number'}`);
    }
  };
  const [name, symbol, decimals, totalSupply] = await Promise.all([read('name'), read('symbol'), read('decimals'), read('totalSupply')]);
  if (!sane(name as string, 128)) throw new NotAnErc20Error(`${address}'s name() is empty, too long or not printable`);
  if (!sane(symbol as string, 32)) throw new NotAnErc20Error(`${address}'s symbol() is empty, too long or not printable`);
  if ((decimals as bigint) > 255n) throw new NotAnErc20Error(`${address}'s decimals() answers ${decimals as bigint}, more than a uint8 holds`);
  return { name: name as string, symbol: symbol as string, decimals: Number(decimals), totalSupply: totalSupply as bigint };
}
