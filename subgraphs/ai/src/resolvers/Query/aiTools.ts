import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { toolCatalog } from '../../tools/tools.ts';

export const aiTools: NonNullable<QueryResolvers['aiTools']> = () => toolCatalog();
