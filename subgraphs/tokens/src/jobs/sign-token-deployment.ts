import type { PrismaClient, Token } from '@token-nexus/prisma';
import type { KeyVault } from '@token-nexus/shared';
import { nexusTokenFactoryInterface, predictCloneAddress, tokenSalt, type ChainClient } from '../chain/index.ts';
import { signWithDeployer } from '../keys/deployer-keys.ts';

/**
 * Signs a token's deployment with its organization's deployer key and stores it (with the
 * address the token will have) before anything is sent. On a chain with a DEPLOYED
 * factory, the deployment is `createToken` on the factory, the token's id as its salt:
 * the clone lands at the predicted address. Otherwise it is the full NexusToken contract.
 * Which one is decided here, once: a retry sends the stored transaction again.
 */
export async function signTokenDeployment(deps: { prisma: PrismaClient; vault: KeyVault }, client: ChainClient, token: Token): Promise<void> {
  const factory = await deps.prisma.tokenFactory.findUnique({ where: { chainId: token.chainId } });
  const owner = token.deployerAddress!;
  const initialSupply = BigInt(token.initialSupply.toFixed());
  const viaFactory = factory?.status === 'DEPLOYED' ? factory : null;
  await signWithDeployer(
    deps.prisma,
    deps.vault,
    { organizationId: token.organizationId, chainId: token.chainId },
    (address) => client.nonceOf(address),
    async (privateKey, nonce) => {
      if (!viaFactory) {
        return client.signDeployment(privateKey, { name: token.name, symbol: token.symbol, decimals: token.decimals, initialSupply, owner }, nonce);
      }
      const data = nexusTokenFactoryInterface.encodeFunctionData('createToken', [
        tokenSalt(token.id),
        token.name,
        token.symbol,
        token.decimals,
        initialSupply,
        owner,
      ]);
      const signed = await client.signContractCall(privateKey, viaFactory.address!, data, nonce, `creation of ${token.symbol}`);
      const contractAddress = predictCloneAddress({
        factory: viaFactory.address!,
        implementation: viaFactory.implementationAddress!,
        creator: owner,
        tokenId: token.id,
      });
      return { ...signed, contractAddress };
    },
    async (tx, signed) => {
      await tx.token.update({
        where: { id: token.id },
        data: {
          deployTransaction: signed.rawTransaction,
          deployTxHash: signed.hash,
          deployNonce: signed.nonce,
          contractAddress: signed.contractAddress,
          deploymentMethod: viaFactory ? 'FACTORY' : 'CONTRACT',
          factoryAddress: viaFactory?.address ?? null,
        },
      });
    },
  );
}
