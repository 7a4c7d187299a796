import { graphQLBody } from './client.ts';
import {
  dashboardQuery,
  isFullAnswer,
  pagesQuery,
  recentAuditQuery,
  renameOrganizationMutation,
  renamePageMutation,
  tokensQuery,
} from './dashboard-operations.ts';
import type { LoadRequest, MixedLoad } from './load.ts';
import type { Role } from './seed.ts';

/** A signed-in user the load acts as. */
export interface BenchUser {
  id: string;
  /** Their access token. */
  token: string;
  /** The client address they send from (X-Forwarded-For): their own, as per-IP limits expect. */
  address: string;
}

/** A member of one organization, loading its dashboard. */
export interface SimulatedUser extends BenchUser {
  role: Role;
  orgId: string;
}

/** What the mix reads and changes: organizations with their pages, and their members. */
export interface MixWorld {
  users: SimulatedUser[];
  organizations: {
    id: string;
    name: string;
    /** The pages' version as created: renames keep it. */
    pages: { id: string; title: string; version: number }[];
  }[];
}

/** 1 request in this many is a mutation; the others are reads. */
export const mutationEvery = 20;

type Organization = MixWorld['organizations'][number];

/** One operation of the mix: who may send it (a dashboard only offers what the role may do), and its body. */
interface MixOperation {
  name: string;
  allows(role: Role): boolean;
  body(user: SimulatedUser, organization: Organization, serial: number): string;
}

const everyone = () => true;
const managers = (role: Role) => role === 'OWNER' || role === 'ADMIN';
const editors = (role: Role) => role !== 'VIEWER';

/** A dashboard page load: its four panels, each a request of its own. */
const reads: MixOperation[] = [
  { name: 'dashboard', allows: everyone, body: () => graphQLBody(dashboardQuery) },
  { name: 'tokens', allows: everyone, body: (user) => graphQLBody(tokensQuery, { orgId: user.orgId }) },
  { name: 'recent audit', allows: managers, body: (user) => graphQLBody(recentAuditQuery, { orgId: user.orgId }) },
  { name: 'pages', allows: everyone, body: (user) => graphQLBody(pagesQuery, { orgId: user.orgId }) },
];

/** Edits whose result the reads above show to the organization's other members. */
const writes: MixOperation[] = [
  {
    name: 'rename page',
    allows: editors,
    body: (_user, organization, serial) => {
      const page = organization.pages[serial % organization.pages.length]!;
      return graphQLBody(renamePageMutation, { id: page.id, version: page.version, title: `${page.title} (edit ${serial})` });
    },
  },
  {
    name: 'rename organization',
    allows: managers,
    body: (_user, organization, serial) =>
      graphQLBody(renameOrganizationMutation, { id: organization.id, name: `${organization.name} (edit ${serial})` }),
  },
];

/**
 * The dashboard mix: each request is made by a simulated user, with their token and
 * their organization. Of every `mutationEvery` requests, one is an edit (taking turns
 * between the `writes`) and the others are reads (a panel of `reads` at random), each by
 * a random user whose role may send it.
 */
export function dashboardMix(world: MixWorld, url: string): MixedLoad {
  const request = requestMaker(world);
  // Reads depend only on the user: build each once, not on every request.
  const readRequests = reads.map((operation) => usersAllowed(world, operation).map((user) => request(operation, user, 0)));
  const writers = writes.map((operation) => usersAllowed(world, operation));
  let serial = 0;
  return {
    name: 'dashboard mix',
    url,
    next: () => {
      serial++;
      if (serial % mutationEvery !== 0) return pick(pick(readRequests));
      const turn = (serial / mutationEvery) % writes.length;
      return request(writes[turn]!, pick(writers[turn]!), serial);
    },
    accepts: isFullAnswer,
  };
}

/** One request of every operation of the mix, by the first user who may send it: to check them before a run. */
export function oneOfEachOperation(world: MixWorld): { name: string; request: LoadRequest }[] {
  const request = requestMaker(world);
  return [...reads, ...writes].map((operation) => ({
    name: operation.name,
    request: request(operation, usersAllowed(world, operation)[0]!, 0),
  }));
}

/** Makes `operation`'s request by `user`, the `serial`th of the run. */
function requestMaker(world: MixWorld): (operation: MixOperation, user: SimulatedUser, serial: number) => LoadRequest {
  const organizations = new Map(world.organizations.map((organization) => [organization.id, organization]));
  return (operation, user, serial) => ({
    body: operation.body(user, organizations.get(user.orgId)!, serial),
    headers: userHeaders(user),
  });
}

/** A user's headers: their token, and their own address one proxy hop away (TRUSTED_PROXY_HOPS=1). */
export function userHeaders(user: BenchUser): Record<string, string> {
  return { authorization: `Bearer ${user.token}`, 'x-forwarded-for': user.address };
}

function usersAllowed(world: MixWorld, operation: MixOperation): SimulatedUser[] {
  const users = world.users.filter((user) => operation.allows(user.role));
  if (users.length === 0) throw new Error(`no user of the mix may send ${operation.name}`);
  return users;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}
