import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createOrganization as create } from '../../providers/organizations.ts';

export const createOrganization: NonNullable<MutationResolvers['createOrganization']> = (
  _parent,
  args,
  ctx,
) => create(ctx, args.input);
