import type { Membership, User } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

/** What an Organization.members resolver hands on: the page, and whose members it lists. */
export type MembershipConnectionModel = Connection<Membership> & { organizationId: string };

/** A user as resolvers see it: the password hash is never loaded for them. */
export type UserModel = Omit<User, 'passwordHash'>;
