import type { AuditTransaction, PrismaClient } from '@token-nexus/prisma';
import { Wallet } from 'ethers';
import type { KeyVault } from '@token-nexus/shared';
import { deployerKeyBinding } from './deployer-key-binding.ts';

/**
 * The organization's deployer address on a chain, creating its key the first time: a
 * random key generated here, stored only encrypted. Concurrent first uses agree on one
 * key (the unique (organization, chain) row decides; the loser reads the winner's).
 */
export async function deployerAddressFor(
  tx: AuditTransaction,
  vault: KeyVault,
  organizationId: string,
  chainId: number,
): Promise<string> {
  const existing = await tx.deployerKey.findUnique({ where: { organizationId_chainId: { organizationId, chainId } } });
  if (existing) return existing.address;
  const wallet = Wallet.createRandom();
  const created = await tx.deployerKey.upsert({
    where: { organizationId_chainId: { organizationId, chainId } },
    create: {
      organizationId,
      chainId,
      address: wallet.address,
      encryptedKey: vault.encrypt(wallet.privateKey, deployerKeyBinding(organizationId, chainId)),
    },
    update: {},
  });
  return created.address;
}

/**
 * Runs `sign` with the deployer's private key and the next nonce, holding the key's row
 * locked until `record` has stored the signed transaction: two jobs of one organization
 * never sign with the same nonce, and a signed transaction is stored before it is sent.
 *
 * The chain's count is read before the transaction: a chain that does not answer fails
 * here, holding nothing (on the embedded database, a transaction waiting on a dead
 * endpoint would hold the process's only connection until the RPC timeout).
 */
export async function signWithDeployer<T extends { nonce: number }>(
  prisma: PrismaClient,
  vault: KeyVault,
  key: { organizationId: string; chainId: number },
  chainNonce: (address: string) => Promise<number>,
  sign: (privateKey: string, nonce: number) => Promise<T>,
  record: (tx: AuditTransaction, signed: T) => Promise<void>,
): Promise<T> {
  const where = { organizationId_chainId: { organizationId: key.organizationId, chainId: key.chainId } };
  const { address } = await prisma.deployerKey.findUniqueOrThrow({ where, select: { address: true } });
  // Only this platform signs with the key, and every nonce it signs is stored below: the
  // count read now cannot be overtaken by one the stored counter does not know.
  const counted = await chainNonce(address);
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM tokens.deployer_keys
        WHERE organization_id = ${key.organizationId}::uuid AND chain_id = ${key.chainId} FOR UPDATE`;
      const row = await tx.deployerKey.findUniqueOrThrow({ where });
      // The chain's count can lag behind what this platform signed (not yet propagated);
      // the stored counter can lag behind the chain (someone else used the key? never here).
      const nonce = Math.max(row.nextNonce, counted);
      const privateKey = vault.decrypt(row.encryptedKey, deployerKeyBinding(key.organizationId, key.chainId));
      const signed = await sign(privateKey, nonce);
      await tx.deployerKey.update({ where: { id: row.id }, data: { nextNonce: signed.nonce + 1 } });
      await record(tx as AuditTransaction, signed);
      return signed;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
