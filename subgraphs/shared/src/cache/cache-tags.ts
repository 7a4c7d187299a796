/**
 * The names of what a cached answer holds, and so of what a change must invalidate.
 * An answer is tagged with each of them it holds; a committed change bumps the tags of
 * what it touched, and every answer holding one of those is stale from then on.
 *
 * - `Type:id`: one object (a User, a Chain: objects outside any organization).
 * - `Type@org:<id>`: objects of a type that belong to an organization, and the lists of
 *   them: a change to any of them bumps it.
 * - `*@org:<id>`: anything of an organization (for changes that are not told apart).
 * - `Type@user:<id>`: a user's own objects of a type and the lists of them.
 * - `Type@platform`: objects and lists of a type that belong to no one (chains).
 * - `actor:<key>`: everything cached privately for one caller (a permission change).
 */
export const cacheTag = {
  entity: (type: string, id: string) => `${type}:${id}`,
  inOrganization: (type: string, organizationId: string) => `${type}@org:${organizationId}`,
  anythingInOrganization: (organizationId: string) => `*@org:${organizationId}`,
  ofUser: (type: string, userId: string) => `${type}@user:${userId}`,
  onPlatform: (type: string) => `${type}@platform`,
  actor: (actorKey: string) => `actor:${actorKey}`,
} as const;
