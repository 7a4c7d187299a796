import type { ApiExample } from './api-example.ts';

const orgId = '8d0c3a52-6f1e-4b7a-9c2d-1e5f7a9b3c40';
const tokenId = '7b3e1f59-4c2a-4d8e-b6f0-3a9c5e1d7b42';
const holder = '0x52908400098527886E0F7030069857D2E4169EE7';

/** Why the chain operations' examples answer errors in the reference's test graph. */
const needsChain =
  'the example token is a DRAFT, because deploying it needs a chain that answers (the reference runs its examples without one); on a DEPLOYED token it is recorded as PENDING and confirmed on chain.';

const tokenFields = 'id name symbol decimals initialSupply status chain { chainId name }';

/** Examples of the tokens page. */
export const tokensExamples: ApiExample[] = [
  {
    field: 'Query.token',
    title: 'a token with its status, contract and largest holders',
    caller: 'user',
    operation: `query Token($id: ID!) {
  token(id: $id) {
    ${tokenFields}
    deployerAddress
    contractAddress
    failureReason
    balances(first: 5) { edges { node { holder balance } } }
  }
}`,
    variables: { id: tokenId },
  },
  {
    field: 'Query.tokens',
    title: "an organization's tokens that are still drafts",
    caller: 'user',
    operation: `query Tokens($orgId: ID!, $status: TokenStatus) {
  tokens(orgId: $orgId, status: $status, first: 20) {
    edges { node { ${tokenFields} } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: { orgId, status: 'DRAFT' },
  },
  {
    field: 'Query.chains',
    title: 'the chains tokens can be created on',
    caller: 'user',
    operation: `query Chains {
  chains { chainId name explorerUrl confirmations enabled }
}`,
    variables: {},
  },
  {
    field: 'Mutation.createToken',
    title: 'defining a token with 18 decimals and 1,000 tokens of initial supply',
    caller: 'user',
    operation: `mutation CreateToken($input: CreateTokenInput!) {
  createToken(input: $input) { ${tokenFields} deployerAddress }
}`,
    variables: {
      input: { orgId, name: 'Nexus Credit', symbol: 'NXC', decimals: 18, initialSupply: '1000000000000000000000', chainId: 11155111 },
    },
  },
  {
    field: 'Mutation.deployToken',
    title: 'deploying a DRAFT token: DEPLOYING at once, the rest in the background',
    caller: 'user',
    operation: `mutation DeployToken($id: ID!) {
  deployToken(id: $id) { id status deployerAddress }
}`,
    variables: { id: tokenId },
  },
  {
    field: 'Mutation.mintTokens',
    title: 'minting 5 tokens (18 decimals) to an address',
    caller: 'user',
    operation: `mutation MintTokens($tokenId: ID!, $to: String!, $amount: BigInt!) {
  mintTokens(tokenId: $tokenId, to: $to, amount: $amount) { id kind status to amount }
}`,
    variables: { tokenId, to: holder, amount: '5000000000000000000' },
    answers: { code: 'CONFLICT', because: needsChain },
  },
  {
    field: 'Mutation.transferTokens',
    title: 'sending 1 token from the deployer address',
    caller: 'user',
    operation: `mutation TransferTokens($tokenId: ID!, $to: String!, $amount: BigInt!) {
  transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id kind status from to amount }
}`,
    variables: { tokenId, to: holder, amount: '1000000000000000000' },
    answers: { code: 'CONFLICT', because: needsChain },
  },
  {
    field: 'Mutation.burnTokens',
    title: 'burning half a token held by the deployer address',
    caller: 'user',
    operation: `mutation BurnTokens($tokenId: ID!, $amount: BigInt!) {
  burnTokens(tokenId: $tokenId, amount: $amount) { id kind status amount }
}`,
    variables: { tokenId, amount: '500000000000000000' },
    answers: { code: 'CONFLICT', because: needsChain },
  },
  {
    field: 'Mutation.pauseToken',
    title: 'pausing every transfer of a token',
    caller: 'user',
    operation: `mutation PauseToken($id: ID!) {
  pauseToken(id: $id) { id status }
}`,
    variables: { id: tokenId },
    answers: {
      code: 'BAD_USER_INPUT',
      because: 'only a DEPLOYED token can be paused, and the example token is a DRAFT (deploying needs a chain that answers).',
    },
  },
  {
    field: 'Mutation.resumeToken',
    title: 'resuming a paused token',
    caller: 'user',
    operation: `mutation ResumeToken($id: ID!) {
  resumeToken(id: $id) { id status }
}`,
    variables: { id: tokenId },
    answers: {
      code: 'BAD_USER_INPUT',
      because: 'only a PAUSED token can be resumed, and the example token is a DRAFT (pausing needs a chain that answers).',
    },
  },
  {
    field: 'Mutation.retireToken',
    title: 'retiring a token for good',
    caller: 'user',
    operation: `mutation RetireToken($id: ID!) {
  retireToken(id: $id) { id status }
}`,
    variables: { id: tokenId },
  },
  {
    field: 'Mutation.createChain',
    title: 'adding the Sepolia test network (a system administrator)',
    caller: 'user',
    operation: `mutation CreateChain($input: CreateChainInput!) {
  createChain(input: $input) { chainId name rpcUrl confirmations enabled }
}`,
    variables: {
      input: { chainId: 11155111, name: 'Sepolia', rpcUrl: 'https://rpc.sepolia.example.com', explorerUrl: 'https://sepolia.etherscan.io', confirmations: 3 },
    },
  },
  {
    field: 'Mutation.updateChain',
    title: 'asking for more confirmations on a chain (a system administrator)',
    caller: 'user',
    operation: `mutation UpdateChain($chainId: Int!, $input: UpdateChainInput!) {
  updateChain(chainId: $chainId, input: $input) { chainId confirmations enabled }
}`,
    variables: { chainId: 11155111, input: { confirmations: 6 } },
  },
  {
    field: 'Mutation.deployTokenFactory',
    title: "deploying the platform's token factory on a chain (a system administrator)",
    caller: 'user',
    operation: `mutation DeployTokenFactory($chainId: ID!) {
  deployTokenFactory(chainId: $chainId) {
    chainId
    factory { status deployerAddress address implementationAddress failureReason }
  }
}`,
    variables: { chainId: '11155111' },
  },
  {
    field: 'Mutation.importToken',
    title: 'following a token deployed elsewhere, its history read from its deployment block',
    caller: 'user',
    operation: `mutation ImportToken($orgId: ID!, $chainId: ID!, $address: String!, $fromBlock: Int) {
  importToken(orgId: $orgId, chainId: $chainId, address: $address, fromBlock: $fromBlock) {
    ${tokenFields} contractAddress deploymentMethod readOnly indexedBlock
  }
}`,
    variables: { orgId, chainId: '11155111', address: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', fromBlock: 4_800_000 },
    answers: {
      code: 'UNAVAILABLE',
      because: 'importing reads the token on its chain, and the reference runs its examples against a chain that does not answer.',
    },
  },
  {
    field: 'Subscription.chainStatusChanged',
    title: "following a chain's health: head, block time, each RPC endpoint",
    caller: 'user',
    operation: `subscription ChainStatusChanged($chainId: ID) {
  chainStatusChanged(chainId: $chainId) {
    chainId
    confirmations
    status {
      healthy latestBlock blockTimeSeconds lagBlocks reorgsLast24h
      endpoints { url healthy latencyMs lastError checkedAt }
    }
  }
}`,
    variables: { chainId: '11155111' },
  },
  {
    field: 'Subscription.tokenEvents',
    title: "following the organization's tokens: statuses and transactions",
    caller: 'user',
    operation: `subscription TokenEvents($orgId: ID!) {
  tokenEvents(orgId: $orgId) {
    token { id status failureReason contractAddress }
    transaction { id kind status txHash }
  }
}`,
    variables: { orgId },
  },
];
