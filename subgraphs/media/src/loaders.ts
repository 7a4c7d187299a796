import DataLoader from 'dataloader';
import type { MediaVariant, PrismaClient } from '@token-nexus/prisma';

/** The request's loaders: a page of assets with their variants costs one statement per hop. */
export function createLoaders(prisma: PrismaClient) {
  return {
    variantsByAssetId: new DataLoader<string, MediaVariant[]>(async (assetIds) => {
      const rows = await prisma.mediaVariant.findMany({ where: { assetId: { in: [...assetIds] } } });
      const order = ['original', 'thumb', 'medium', 'large'];
      return assetIds.map((id) =>
        rows.filter((row) => row.assetId === id).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
      );
    }),
  };
}

export type MediaLoaders = ReturnType<typeof createLoaders>;
