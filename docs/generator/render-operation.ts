import { authoredDescription, returnedErrorCodes } from '@token-nexus/shared';
import type { GraphQLField } from 'graphql';
import type { ApiExample } from '../examples/api-example.ts';
import { indexFile } from './domains.ts';
import { cell, codeBlock, fieldAnchor, link, prose, table, typeLink, type TypeLocator } from './markdown.ts';
import type { RateLimit, RootFieldFacts } from './supergraph-facts.ts';

/** What a rate limit counts per, in words (as describeRateLimits says it in descriptions). */
const rateLimitKeys: Record<string, string> = {
  USER: 'user',
  ORGANIZATION: 'organization (its `orgId`)',
  API_KEY: 'API key',
  IP: 'IP address',
  GLOBAL: 'everyone together',
};

/**
 * The codes every operation can answer whatever it does (see the index page): a refused
 * credential, a missing scope or role, a malformed request, a failure on our side, and
 * automatic persisted queries.
 */
export const generalErrorCodes = ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'];

/**
 * The codes particular to an operation: those its description names, RATE_LIMITED when it
 * declares a limit, and those its examples are seen to answer. The codes every operation
 * can answer are left to the index.
 */
export function operationErrorCodes(description: string | null | undefined, facts: RootFieldFacts, examples: readonly ApiExample[]): string[] {
  const text = authoredDescription(description);
  const named = returnedErrorCodes.filter((code) => new RegExp(`\\b${code}\\b`).test(text));
  const answered = examples.flatMap((example) => (example.answers ? [example.answers.code] : []));
  const codes = new Set([...named, ...answered, ...(facts.rateLimits.length > 0 ? ['RATE_LIMITED'] : [])]);
  return returnedErrorCodes.filter((code) => codes.has(code));
}

/** One query, mutation or subscription: everything a client needs to call it. */
export function renderOperation(options: {
  rootType: string;
  field: GraphQLField<unknown, unknown>;
  facts: RootFieldFacts;
  examples: ApiExample[];
  file: string;
  locate: TypeLocator;
}): string {
  const { rootType, field, facts, examples, file, locate } = options;
  const parts: string[] = [];
  parts.push(`<a id="${fieldAnchor(rootType, field.name)}"></a>\n\n### \`${field.name}\``);
  parts.push(codeBlock('graphql', `type ${rootType} {\n  ${signature(field)}\n}`));
  // The rate-limit and scope sentences composition appended are rendered from the directives below.
  parts.push(prose(authoredDescription(field.description)));
  if (field.args.length > 0) {
    parts.push(
      `**Arguments**\n\n${table(
        ['name', 'type', 'default', 'description'],
        field.args.map((argument) => [
          `\`${argument.name}\``,
          typeLink(argument.type, file, locate),
          argument.defaultValue === undefined ? '' : `\`${JSON.stringify(argument.defaultValue)}\``,
          cell(argument.description),
        ]),
      )}`,
    );
  }
  parts.push(`**Returns** ${typeLink(field.type, file, locate)}`);
  const codes = operationErrorCodes(field.description, facts, examples);
  const particular = codes.length > 0 ? `${codes.map((code) => `\`${code}\``).join(', ')}, and ` : '';
  parts.push(`**Errors** (\`extensions.code\`): ${particular}the codes ${link('every operation can return', `${indexFile}#errors`)}.`);
  parts.push(`**Rate limit**: ${facts.rateLimits.length > 0 ? rateLimitsSentence(facts.rateLimits) : 'none of its own.'}`);
  parts.push(`**API keys and OAuth apps**: ${facts.scopes ? scopesSentence(facts.scopes) : 'not available (users only).'}`);
  for (const example of examples) parts.push(renderExample(example));
  return parts.filter(Boolean).join('\n\n');
}

function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map((argument) => {
    const defaultValue = argument.defaultValue === undefined ? '' : ` = ${JSON.stringify(argument.defaultValue)}`;
    return `${argument.name}: ${String(argument.type)}${defaultValue}`;
  });
  return `${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}: ${String(field.type)}`;
}

function rateLimitsSentence(limits: readonly RateLimit[]): string {
  const each = limits.map(({ limit, window, by }) => {
    const keys = by.map((key) => rateLimitKeys[key] ?? `\`${key.replace(/^ARG_/, '')}\` argument`).join(' and ');
    return `${limit} per ${window} for each ${keys}`;
  });
  const over = limits.length > 1 ? 'Over any of them' : 'Over it';
  return `${each.join('; and ')}. ${over} the field is null with \`RATE_LIMITED\` and \`extensions.rateLimit { limit, window, retryAfter }\`.`;
}

function scopesSentence(anyOf: string[][]): string {
  const alternatives = anyOf.map((allOf) => allOf.map((scope) => `\`${scope}\``).join(' and '));
  const needed = alternatives.length === 1 && anyOf[0]!.length === 1 ? 'scope' : 'scopes';
  return `${needed} ${alternatives.join(' or ')}. Users' own sessions are not limited by scopes.`;
}

function renderExample(example: ApiExample): string {
  const caller = example.caller === 'anonymous' ? 'Sent without credentials.' : "Sent with a user's access token (`Authorization: Bearer …`).";
  const parts = [`**Example**: ${example.title}. ${caller}`, codeBlock('graphql', example.operation)];
  if (Object.keys(example.variables).length > 0) parts.push(`Variables:\n\n${codeBlock('json', JSON.stringify(example.variables, null, 2))}`);
  if (example.answers) {
    parts.push(`On a graph without it, this answers \`${example.answers.code}\`: ${example.answers.because}`);
  }
  return parts.join('\n\n');
}
