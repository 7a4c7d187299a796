import { getAddress, isAddress } from 'ethers';
import { z } from 'zod';

/** An id this API handed out (every id here is a UUID). */
export const uuid = z.uuid('must be an id returned by this API');

/** The largest uint256: no ERC-20 amount can exceed it. */
export const maxUint256 = 2n ** 256n - 1n;

/**
 * An amount in base units, as the BigInt scalar hands it over (a bigint): never negative,
 * never past uint256; `positive` refuses zero too (minting or sending nothing).
 */
export function amount(options: { positive: boolean }) {
  return z.bigint('must be an integer amount in base units, as a decimal string').check((context) => {
    const value = context.value;
    if (value < 0n) context.issues.push({ code: 'custom', message: 'must not be negative', input: value });
    else if (options.positive && value === 0n) context.issues.push({ code: 'custom', message: 'must be more than 0', input: value });
    else if (value > maxUint256) context.issues.push({ code: 'custom', message: 'must be at most 2^256 − 1', input: value });
  });
}

/** An EVM address (0x + 40 hex digits, any case, a mixed-case one with a valid checksum), checksummed. */
export const address = z
  .string()
  .refine((value) => isAddress(value), 'must be an EVM address: 0x followed by 40 hexadecimal digits (with a valid checksum if mixed-case)')
  .transform((value) => getAddress(value));

/** Not the zero address: tokens sent there are lost (burning is burnTokens). */
export const recipient = address.refine(
  (value) => value !== '0x0000000000000000000000000000000000000000',
  'must not be the zero address (use burnTokens to destroy tokens)',
);

export const createTokenInput = z.object({
  orgId: uuid,
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  symbol: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{1,10}$/, 'must be 2–11 upper-case letters or digits, starting with a letter'),
  decimals: z.int('must be a whole number').min(0, 'must be at least 0').max(36, 'must be at most 36'),
  initialSupply: amount({ positive: false }),
  chainId: z.int('must be a whole number').positive('must be positive'),
});

const rpcUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const rpcUrls = z.array(rpcUrl).min(1, 'must hold at least one URL').max(5, 'must hold at most 5 URLs');

const chainFields = {
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  rpcUrl: rpcUrl.nullish(),
  rpcUrls: rpcUrls.nullish(),
  explorerUrl: rpcUrl.nullish(),
  confirmations: z.int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  enabled: z.boolean().nullish(),
};

/** `rpcUrl` is the one-endpoint spelling of `rpcUrls`: one or the other, never both. */
function oneSpelling(input: { rpcUrl?: string | null; rpcUrls?: string[] | null }, context: z.core.$RefinementCtx): void {
  if (input.rpcUrl != null && input.rpcUrls != null) {
    context.addIssue({ code: 'custom', path: ['rpcUrls'], message: 'give either rpcUrl or rpcUrls, not both' });
  }
}

/** The endpoints asked for, in order; null when neither spelling was given. */
export function endpointsOf(input: { rpcUrl?: string | null; rpcUrls?: string[] | null }): string[] | null {
  return input.rpcUrls ?? (input.rpcUrl != null ? [input.rpcUrl] : null);
}

export const createChainInput = z
  .object({ chainId: z.int('must be a whole number').positive('must be positive').max(2_147_483_647, 'is too large'), ...chainFields })
  .superRefine((input, context) => {
    oneSpelling(input, context);
    if (input.rpcUrl == null && input.rpcUrls == null) context.addIssue({ code: 'custom', path: ['rpcUrls'], message: 'is required (or rpcUrl)' });
  });

export const updateChainInput = z.object(chainFields).partial().superRefine(oneSpelling);

/** A chain id given as an ID (`deployTokenFactory`, `importToken`): the EIP-155 number, in digits. */
export const chainIdArgument = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a chain\'s EIP-155 id, e.g. "1"')
  .transform(Number)
  .refine((value) => value <= 2_147_483_647, 'is too large');
