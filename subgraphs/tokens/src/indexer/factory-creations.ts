import type { PrismaClient } from '@token-nexus/prisma';
import { getAddress } from 'ethers';
import { nexusTokenFactoryInterface, type ChainClient } from '../chain/index.ts';
import type { LogRanges } from './log-ranges.ts';

const tokenCreated = nexusTokenFactoryInterface.getEvent('TokenCreated')!;

/**
 * Reads the chain's factory's TokenCreated events on from where it stopped, up to `head`,
 * into `factory_token_creations` with the factory's new position (one transaction per
 * range). False when the window of recent blocks moved meanwhile: the round is not trusted.
 */
export async function indexFactoryCreations(
  prisma: PrismaClient,
  client: ChainClient,
  ranges: LogRanges,
  chainId: number,
  head: number,
  windowHeld: (to: number) => Promise<boolean>,
): Promise<boolean> {
  const factory = await prisma.tokenFactory.findUnique({ where: { chainId } });
  if (factory?.status !== 'DEPLOYED' || factory.indexedBlock === null || !factory.address) return true;
  let from = factory.indexedBlock + 1;
  while (from <= head) {
    const read = await ranges.read(chainId, from, head, (to) => client.logs(factory.address!, tokenCreated.topicHash, from, to));
    if (!(await windowHeld(read.to))) return false;
    const rows = read.logs.map((log) => {
      const [token, creator, tokenId, owner] = nexusTokenFactoryInterface.decodeEventLog(tokenCreated, log.data, log.topics);
      return {
        chainId,
        tokenAddress: getAddress(token as string),
        creator: getAddress(creator as string),
        tokenSalt: tokenId as string,
        owner: getAddress(owner as string),
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    });
    await prisma.$transaction([
      prisma.factoryTokenCreation.createMany({ data: rows, skipDuplicates: true }),
      prisma.tokenFactory.update({ where: { chainId }, data: { indexedBlock: read.to } }),
    ]);
    from = read.to + 1;
  }
  return true;
}
