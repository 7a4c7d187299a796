import type { Membership } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

/** What an Organization.members resolver hands on: the page, and whose members it lists. */
export type MembershipConnectionModel = Connection<Membership> & { organizationId: string };
