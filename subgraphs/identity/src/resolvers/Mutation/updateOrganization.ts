import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateOrganization as update } from '../../providers/organizations.ts';

export const updateOrganization: NonNullable<MutationResolvers['updateOrganization']> = (
  _parent,
  args,
  ctx,
) => update(ctx, args.id, args.input);
