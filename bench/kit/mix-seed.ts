import { addressAt, type GraphQLClient } from './client.ts';
import { mapConcurrently } from './concurrency.ts';
import type { BenchUser, MixWorld, SimulatedUser } from './dashboard-mix.ts';
import { addMember, createOrganization, range, roleFor, seedConcurrency, signUp, type SeededUser } from './seed.ts';

/** The size of the mix's world: its organizations, each with its members, DRAFT tokens and pages. */
export const mixCounts = { organizations: 5, membersPerOrganization: 10, tokensPerOrganization: 3, pagesPerOrganization: 4 };

/** The chain the tokens are drafts on. Nothing is deployed, so its RPC URL is never called. */
const benchChain = { chainId: 31337, name: 'Bench chain', rpcUrl: 'http://127.0.0.1:8545' };

const pageTitles = ['Home', 'Pricing', 'About us', 'Launch day', 'Careers', 'Contact'];

interface Team {
  owner: SeededUser;
  id: string;
  name: string;
}

/**
 * Seeds the mix's world through the public API, as real users would: a SYSTEM_ADMIN
 * (made by `makeSystemAdmin`, the operator's command) adds a chain; then each
 * organization's owner signs up and creates it, its other members sign up and are added
 * with a spread of roles, and the owner creates its DRAFT tokens and pages. Every one of
 * these mutations writes an audit entry, which the mix then reads.
 */
export async function seedMixWorld(
  gateway: GraphQLClient,
  makeSystemAdmin: (email: string) => Promise<void>,
): Promise<MixWorld> {
  await addChain(gateway, makeSystemAdmin);
  const teams = await mapConcurrently(range(mixCounts.organizations), seedConcurrency, (o) => createTeam(gateway, o));
  const slots = teams.flatMap((team, o) => range(mixCounts.membersPerOrganization - 1).map((m) => ({ team, o, m })));
  const members = await mapConcurrently(slots, seedConcurrency, async ({ team, o, m }) => {
    const member = await signUp(gateway, `team-${o + 1}-member-${m + 1}`, `Member ${o + 1}.${m + 1}`);
    await addMember(team.owner, team.id, member.email, roleFor(m));
    return { user: member, role: roleFor(m), orgId: team.id };
  });
  const pages = await mapConcurrently(teams, seedConcurrency, (team, o) => createContent(team, o));
  const seeded = [...teams.map((team) => ({ user: team.owner, role: 'OWNER' as const, orgId: team.id })), ...members];
  return {
    // Addresses from 1: 0 is the dashboard viewer's (see benchUser).
    users: seeded.map(({ user, role, orgId }, index): SimulatedUser => ({ ...benchUser(user, index + 1), role, orgId })),
    organizations: teams.map((team, o) => ({ id: team.id, name: team.name, pages: pages[o]! })),
  };
}

/** A seeded user as the load acts for them, sending from the `index`th address. */
export function benchUser(user: SeededUser, index: number): BenchUser {
  return { id: user.id, token: user.client.token!, address: addressAt(index) };
}

async function addChain(gateway: GraphQLClient, makeSystemAdmin: (email: string) => Promise<void>): Promise<void> {
  const operator = await signUp(gateway, 'operator', 'Olu Operator');
  await makeSystemAdmin(operator.email);
  await operator.client.data(`mutation ($input: CreateChainInput!) { createChain(input: $input) { chainId } }`, {
    input: benchChain,
  });
}

async function createTeam(gateway: GraphQLClient, o: number): Promise<Team> {
  const owner = await signUp(gateway, `team-${o + 1}-owner`, `Owner ${o + 1}`);
  const name = `Team ${o + 1}`;
  const { id } = await createOrganization(owner, name, `team-${o + 1}`);
  return { owner, id, name };
}

/** The team's DRAFT tokens and pages, made by its owner. @returns the pages. */
async function createContent(team: Team, o: number): Promise<MixWorld['organizations'][number]['pages']> {
  for (const t of range(mixCounts.tokensPerOrganization)) {
    await team.owner.client.data(`mutation ($input: CreateTokenInput!) { createToken(input: $input) { id } }`, {
      input: {
        orgId: team.id,
        chainId: benchChain.chainId,
        name: `Team ${o + 1} credit ${t + 1}`,
        symbol: `TC${o + 1}${t + 1}`,
        decimals: 18,
        initialSupply: '1000000000000000000000000',
      },
    });
  }
  const pages = [];
  for (const p of range(mixCounts.pagesPerOrganization)) {
    const data = await team.owner.client.data<{ createPage: { id: string; title: string; version: number } }>(
      `mutation ($input: CreatePageInput!) { createPage(input: $input) { id title version } }`,
      { input: { orgId: team.id, slug: `page-${p + 1}`, title: pageTitles[p % pageTitles.length]! } },
    );
    pages.push(data.createPage);
  }
  return pages;
}
