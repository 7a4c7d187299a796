import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { importToken as importExisting } from '../../providers/token-imports.ts';

export const importToken: NonNullable<MutationResolvers['importToken']> = (_parent, args, ctx) => importExisting(ctx, args);
