import DataLoader from 'dataloader';
import { Prisma, type Membership, type Organization, type PrismaClient, type Role } from '@token-nexus/prisma';
import type { UserModel } from './models.ts';

/** Where a page of members starts: after this member, in (joined time, user id) order. */
export interface MemberCursor {
  createdAt: Date;
  userId: string;
}

export interface MembersPageKey {
  organizationId: string;
  /** Rows to fetch (the page size plus one, to learn whether a next page exists). */
  take: number;
  after: MemberCursor | null;
}

/**
 * The request's loaders. One set per request, so caching never outlives a request and
 * never crosses users; every list → entity hop goes through one of them, which is what
 * keeps the number of SQL statements independent of the number of rows.
 */
export function createLoaders(prisma: PrismaClient, viewerId: string | null) {
  const loaders = {
    userById: new DataLoader<string, UserModel | null>(async (ids) => {
      const rows = await prisma.user.findMany({
        where: { id: { in: [...ids] } },
        omit: { passwordHash: true },
      });
      return byKey(ids, rows, (row) => row.id);
    }),

    organizationById: new DataLoader<string, Organization | null>(async (ids) => {
      const rows = await prisma.organization.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.id);
    }),

    /** Organizations by slug (slugs are unique), for lookups that start from a URL. */
    organizationBySlug: new DataLoader<string, Organization | null>(async (slugs) => {
      const rows = await prisma.organization.findMany({ where: { slug: { in: [...slugs] } } });
      return byKey(slugs, rows, (row) => row.slug);
    }),

    childrenByParentId: new DataLoader<string, Organization[]>(async (parentIds) => {
      const rows = await prisma.organization.findMany({
        where: { parentId: { in: [...parentIds] } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return groupByKey(parentIds, rows, (row) => row.parentId!);
    }),

    /**
     * Users' memberships, oldest first, read with their organizations in one statement:
     * the organizations prime `organizationById`, and the viewer's own memberships prime
     * `viewerRoleByOrganizationId` (a dashboard then asks for neither again).
     */
    membershipsByUserId: new DataLoader<string, Membership[]>(async (userIds) => {
      const rows = await prisma.$queryRaw<MembershipWithOrganizationRow[]>`
        SELECT m.organization_id AS "organizationId", m.user_id AS "userId", m.role::text AS "role",
               m.created_at AS "createdAt", m.updated_at AS "updatedAt",
               o.name AS "organizationName", o.slug AS "organizationSlug", o.parent_id AS "organizationParentId",
               o.settings AS "organizationSettings", o.active AS "organizationActive",
               o.created_at AS "organizationCreatedAt", o.updated_at AS "organizationUpdatedAt"
        FROM identity.memberships m
        JOIN identity.organizations o ON o.id = m.organization_id
        WHERE m.user_id = ANY(${[...userIds]}::uuid[])
        ORDER BY m.created_at, m.organization_id`;
      const memberships = rows.map((row) => {
        loaders.organizationById.prime(row.organizationId, organizationOf(row));
        if (row.userId === viewerId) loaders.viewerRoleByOrganizationId.prime(row.organizationId, row.role);
        return membershipOf(row);
      });
      return groupByKey(userIds, memberships, (row) => row.userId);
    }),

    /** The viewer's own role in each organization (null: not a member). */
    viewerRoleByOrganizationId: new DataLoader<string, Role | null>(async (organizationIds) => {
      if (!viewerId) return organizationIds.map(() => null);
      const rows = await prisma.membership.findMany({
        where: { userId: viewerId, organizationId: { in: [...organizationIds] } },
        select: { organizationId: true, role: true },
      });
      const roles = new Map(rows.map((row) => [row.organizationId, row.role]));
      return organizationIds.map((id) => roles.get(id) ?? null);
    }),

    /**
     * Whether each user shares at least one organization with the viewer: the rule for
     * seeing another user (e.g. when another subgraph asks for a User entity).
     */
    sharesOrganizationWithViewer: new DataLoader<string, boolean>(async (userIds) => {
      if (!viewerId) return userIds.map(() => false);
      const rows = await prisma.membership.findMany({
        where: {
          userId: { in: [...userIds] },
          organization: { memberships: { some: { userId: viewerId } } },
        },
        select: { userId: true },
        distinct: ['userId'],
      });
      const shared = new Set(rows.map((row) => row.userId));
      return userIds.map((id) => shared.has(id));
    }),

    /**
     * One page of members per organization. Pages asked for in the same tick with the same
     * size and cursor (the usual case: a list of organizations, each with `members(first: n)`)
     * are read in one statement: a LATERAL join walks the (organization, joined, user) index
     * once per organization, which Prisma's query API cannot express.
     */
    membersPage: new DataLoader<MembersPageKey, Membership[], string>(
      async (keys) => {
        const groups = new Map<string, MembersPageKey[]>();
        for (const key of keys) {
          const group = `${key.take}|${key.after?.createdAt.toISOString() ?? ''}|${key.after?.userId ?? ''}`;
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        const pages = new Map<MembersPageKey, Membership[]>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const { take, after } = group[0]!;
            const organizationIds = [...new Set(group.map((key) => key.organizationId))];
            const rows = await prisma.$queryRaw<MemberRow[]>`
              SELECT m.organization_id AS "organizationId", m.user_id AS "userId",
                     m.role::text AS "role", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
                     u.email AS "userEmail", u.display_name AS "userDisplayName", u.is_system_admin AS "userIsSystemAdmin",
                     u.created_at AS "userCreatedAt", u.updated_at AS "userUpdatedAt",
                     (SELECT count(*)::int FROM identity.memberships c WHERE c.organization_id = org.id) AS "memberCount"
              FROM unnest(${organizationIds}::uuid[]) AS org(id)
              CROSS JOIN LATERAL (
                SELECT * FROM identity.memberships
                WHERE organization_id = org.id
                  ${after ? Prisma.sql`AND (created_at, user_id) > (${after.createdAt}::timestamptz, ${after.userId}::uuid)` : Prisma.empty}
                ORDER BY created_at, user_id
                LIMIT ${take}
              ) AS m
              JOIN identity.users u ON u.id = m.user_id
              ORDER BY m.organization_id, m.created_at, m.user_id`;
            const members = rows.map((row) => {
              loaders.userById.prime(row.userId, userOf(row));
              loaders.memberCountByOrganizationId.prime(row.organizationId, row.memberCount);
              return membershipOf(row);
            });
            const byOrganization = groupByKey(organizationIds, members, (row) => row.organizationId);
            const pageOf = new Map(organizationIds.map((id, index) => [id, byOrganization[index]!]));
            for (const key of group) pages.set(key, pageOf.get(key.organizationId)!);
          }),
        );
        return keys.map((key) => pages.get(key)!);
      },
      {
        cacheKeyFn: (key) =>
          `${key.organizationId}|${key.take}|${key.after?.createdAt.toISOString() ?? ''}|${key.after?.userId ?? ''}`,
      },
    ),

    memberCountByOrganizationId: new DataLoader<string, number>(async (organizationIds) => {
      const rows = await prisma.membership.groupBy({
        by: ['organizationId'],
        where: { organizationId: { in: [...organizationIds] } },
        _count: { _all: true },
      });
      const counts = new Map(rows.map((row) => [row.organizationId, row._count._all]));
      return organizationIds.map((id) => counts.get(id) ?? 0);
    }),

    dashboardLayoutByOrganizationId: new DataLoader(async (organizationIds: readonly string[]) => {
      if (!viewerId) return organizationIds.map(() => null);
      const rows = await prisma.dashboardLayout.findMany({
        where: { userId: viewerId, organizationId: { in: [...organizationIds] } },
      });
      return byKey(organizationIds, rows, (row) => row.organizationId);
    }),
  };
  return loaders;
}

export type IdentityLoaders = ReturnType<typeof createLoaders>;

/** A membership row as the raw statements above read it. */
interface MembershipRow {
  organizationId: string;
  userId: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

/** A membership with its organization's columns, prefixed. */
interface MembershipWithOrganizationRow extends MembershipRow {
  organizationName: string;
  organizationSlug: string;
  organizationParentId: string | null;
  organizationSettings: Prisma.JsonValue;
  organizationActive: boolean;
  organizationCreatedAt: Date;
  organizationUpdatedAt: Date;
}

/** A member of a page of members, with their user's columns and the organization's member count. */
interface MemberRow extends MembershipRow {
  userEmail: string;
  userDisplayName: string;
  userIsSystemAdmin: boolean;
  userCreatedAt: Date;
  userUpdatedAt: Date;
  memberCount: number;
}

function membershipOf(row: MembershipRow): Membership {
  return { organizationId: row.organizationId, userId: row.userId, role: row.role, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function organizationOf(row: MembershipWithOrganizationRow): Organization {
  return {
    id: row.organizationId,
    name: row.organizationName,
    slug: row.organizationSlug,
    parentId: row.organizationParentId,
    settings: row.organizationSettings,
    active: row.organizationActive,
    createdAt: row.organizationCreatedAt,
    updatedAt: row.organizationUpdatedAt,
  };
}

function userOf(row: MemberRow): UserModel {
  return {
    id: row.userId,
    email: row.userEmail,
    displayName: row.userDisplayName,
    isSystemAdmin: row.userIsSystemAdmin,
    createdAt: row.userCreatedAt,
    updatedAt: row.userUpdatedAt,
  };
}

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function groupByKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}
