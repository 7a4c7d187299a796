import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { slug } from '../../validation/inputs.ts';

/**
 * Public on purpose: slugs are how public sites name organizations, so any caller,
 * anonymous included, may learn an active organization's id and name from one. Anything
 * else about it stays behind membership (the `organization` query).
 */
export const publicOrganization: NonNullable<QueryResolvers['publicOrganization']> = async (
  _parent,
  args,
  ctx,
) => {
  // A malformed slug names no organization; answering null keeps this lookup a plain
  // "is there one", whatever the caller typed.
  if (!slug.safeParse(args.slug).success) return null;
  const found = await ctx.loaders.organizationBySlug.load(args.slug);
  if (!found?.active) return null;
  return { id: found.id, name: found.name, slug: found.slug };
};
