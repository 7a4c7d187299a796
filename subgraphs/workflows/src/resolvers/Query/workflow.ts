import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findWorkflow } from '../../providers/workflows.ts';

export const workflow: NonNullable<QueryResolvers['workflow']> = (_parent, args, ctx) => findWorkflow(ctx, args.id);
