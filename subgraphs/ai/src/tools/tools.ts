import { signedGraphQLRequest, type Claims } from '@token-nexus/shared';
import type { ToolDefinition } from '../provider/index.ts';

/** Where the tools read from, and how: the asking user's own claims, signed like the gateway's. */
export interface ToolEnvironment {
  sources: { identity: string; tokens: string; cms: string; audit: string };
  signingSecret: string;
  claims: Claims;
  organizationId: string;
}

interface Tool {
  definition: ToolDefinition;
  source: keyof ToolEnvironment['sources'];
  query: string;
  variables: (organizationId: string, args: Record<string, unknown>) => Record<string, unknown>;
}

const limit = (args: Record<string, unknown>) => Math.min(Math.max(Number(args.limit) || 10, 1), 25);

/**
 * The assistant's tools: reads of the organization's own data. Each runs as a GraphQL
 * request to the subgraph that owns the data, carrying the asking user's own signed
 * claims, so the owner's rules apply exactly as for the user: the assistant can never
 * see more than the user could. The organization is always the conversation's; the model
 * cannot point a tool elsewhere.
 */
const tools: Record<string, Tool> = {
  list_tokens: {
    definition: {
      name: 'list_tokens',
      description: "Lists the organization's tokens: name, symbol, status, chain and contract address.",
      parameters: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 25 } }, additionalProperties: false },
    },
    source: 'tokens',
    query: `query ($orgId: ID!, $first: Int) { tokens(orgId: $orgId, first: $first) { edges { node {
      name symbol status decimals initialSupply contractAddress chain { chainId name } } } } }`,
    variables: (orgId, args) => ({ orgId, first: limit(args) }),
  },
  list_pages: {
    definition: {
      name: 'list_pages',
      description: "Lists the organization's CMS pages and posts: title, slug, status and locale.",
      parameters: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 25 } }, additionalProperties: false },
    },
    source: 'cms',
    query: `query ($orgId: ID!, $first: Int) { pages(orgId: $orgId, first: $first) { edges { node {
      title slug status locale kind publishedAt } } } }`,
    variables: (orgId, args) => ({ orgId, first: limit(args) }),
  },
  list_members: {
    definition: {
      name: 'list_members',
      description: "Lists the organization's members and their roles.",
      parameters: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 25 } }, additionalProperties: false },
    },
    source: 'identity',
    query: `query ($id: ID!, $first: Int) { organization(id: $id) { name members(first: $first) { edges { node {
      role user { displayName } } } } } }`,
    variables: (id, args) => ({ id, first: limit(args) }),
  },
  recent_audit_activity: {
    definition: {
      name: 'recent_audit_activity',
      description: "The organization's most recent audit trail entries (OWNERs and ADMINs only).",
      parameters: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 25 } }, additionalProperties: false },
    },
    source: 'audit',
    query: `query ($orgId: ID!, $first: Int) { auditLogs(orgId: $orgId, first: $first) { edges { node {
      action occurredAt targetType severity } } } }`,
    variables: (orgId, args) => ({ orgId, first: limit(args) }),
  },
};

export const toolNames = Object.keys(tools);

export function toolCatalog(): { name: string; description: string }[] {
  return Object.values(tools).map(({ definition }) => ({ name: definition.name, description: definition.description }));
}

export function toolDefinitions(allowed: readonly string[]): ToolDefinition[] {
  return allowed.flatMap((name) => (tools[name] ? [tools[name].definition] : []));
}

/**
 * Runs one tool call and returns what the model is told: the data, or the refusal (a
 * user who may not read the audit trail gets the same FORBIDDEN the API would give them).
 */
export async function runTool(
  environment: ToolEnvironment,
  call: { name: string; arguments: string },
  allowed: readonly string[],
): Promise<string> {
  const tool = tools[call.name];
  if (!tool || !allowed.includes(call.name)) return JSON.stringify({ error: `The tool ${call.name} is not available.` });
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = call.arguments ? JSON.parse(call.arguments) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } catch {
    return JSON.stringify({ error: 'The arguments were not valid JSON.' });
  }
  const result = await signedGraphQLRequest<Record<string, unknown>>({
    url: environment.sources[tool.source],
    signingSecret: environment.signingSecret,
    claims: environment.claims,
    query: tool.query,
    variables: tool.variables(environment.organizationId, args),
    timeoutMs: 10_000,
  });
  if (result.errors?.length) {
    return JSON.stringify({ error: result.errors.map((error) => `${String(error.extensions?.code ?? 'ERROR')}: ${error.message}`).join('; ') });
  }
  return JSON.stringify(result.data ?? null);
}
