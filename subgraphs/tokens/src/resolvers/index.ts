import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BigIntScalar } from '../validation/big-int-scalar.ts';
import { Chain } from './Chain.ts';
import { ChainStatus } from './ChainStatus.ts';
import { burnTokens } from './Mutation/burnTokens.ts';
import { createChain } from './Mutation/createChain.ts';
import { createToken } from './Mutation/createToken.ts';
import { deployToken } from './Mutation/deployToken.ts';
import { deployTokenFactory } from './Mutation/deployTokenFactory.ts';
import { importToken } from './Mutation/importToken.ts';
import { mintTokens } from './Mutation/mintTokens.ts';
import { pauseToken } from './Mutation/pauseToken.ts';
import { resumeToken } from './Mutation/resumeToken.ts';
import { retireToken } from './Mutation/retireToken.ts';
import { transferTokens } from './Mutation/transferTokens.ts';
import { updateChain } from './Mutation/updateChain.ts';
import { Organization } from './Organization.ts';
import { chains } from './Query/chains.ts';
import { token } from './Query/token.ts';
import { tokens } from './Query/tokens.ts';
import { Subscription } from './Subscription.ts';
import { Token } from './Token.ts';
import { TokenEvent } from './TokenEvent.ts';
import { TokenFactory } from './TokenFactory.ts';
import { TokenTransaction } from './TokenTransaction.ts';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  BigInt: BigIntScalar,
  Query: { token, tokens, chains },
  Mutation: {
    createToken,
    deployToken,
    mintTokens,
    transferTokens,
    burnTokens,
    pauseToken,
    resumeToken,
    retireToken,
    createChain,
    updateChain,
    deployTokenFactory,
    importToken,
  },
  Subscription,
  Token,
  TokenTransaction,
  TokenEvent,
  Chain,
  ChainStatus,
  TokenFactory,
  Organization,
};
