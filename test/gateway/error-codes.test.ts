import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { returnedErrorCodes } from '@token-nexus/shared';
import { Kind, parse, visit, type EnumTypeDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';

const repoRoot = new URL('../../', import.meta.url).pathname;
const supergraph = parse(readFileSync(join(repoRoot, 'gateway/supergraph.graphql'), 'utf8'));

/**
 * Capitalised words of descriptions that are not error codes: abbreviations, and the
 * platform role that is a flag rather than an enum. A new one belongs here only if it
 * can never be mistaken for a code.
 */
const notCodes = new Set([
  'API', 'BCP', 'CSV', 'EIP', 'ERC', 'EVM', 'HMAC', 'HTTP', 'IANA', 'ISO', 'JSON', 'JWT', 'PKCE',
  'RFC', 'RPC', 'S256', 'SEO', 'SHA', 'SHA256', 'URI', 'URL', 'UTC', 'UTF', 'UUID', 'SYSTEM_ADMIN',
  // The EVM's ways of creating a contract at an address known beforehand.
  'CREATE2',
  // File formats and HTTP methods of media's descriptions.
  'JPEG', 'PNG', 'GIF', 'AVIF', 'SVG', 'PDF', 'MP3', 'MP4', 'WAV', 'EXIF', 'GPS', 'MIME', 'PUT', 'GET',
]);

/** The variables the services read (a description may name one), from their config modules. */
function configVariables(): Set<string> {
  const files = [
    'gateway/src/config.ts',
    ...readdirSync(join(repoRoot, 'subgraphs/shared/src/config')).map((name) => `subgraphs/shared/src/config/${name}`),
    ...readdirSync(join(repoRoot, 'subgraphs'))
      .map((name) => `subgraphs/${name}/src/config.ts`)
      .filter((file) => !file.startsWith('subgraphs/shared/')),
  ];
  const names = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(repoRoot, file), 'utf8');
    for (const match of source.matchAll(/^\s+([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+):/gm)) names.add(match[1]!);
  }
  return names;
}

function errorCodeEnum(): EnumTypeDefinitionNode {
  const found = supergraph.definitions.find(
    (definition): definition is EnumTypeDefinitionNode => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'ErrorCode',
  );
  if (!found) throw new Error('the supergraph has no ErrorCode enum');
  return found;
}

/** Every description of the supergraph, with where it is. */
function descriptions(): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  const path: string[] = [];
  visit(supergraph, {
    enter(node) {
      const name = 'name' in node && node.name && typeof node.name === 'object' && 'value' in node.name ? String(node.name.value) : null;
      if (name) path.push(name);
      if ('description' in node && node.description) found.push({ where: path.join('.'), text: node.description.value });
    },
    leave(node) {
      if ('name' in node && node.name && typeof node.name === 'object' && 'value' in node.name) path.pop();
    },
  });
  return found;
}

describe('error codes', () => {
  test('the schema documents exactly the codes the graph returns, each with a description', () => {
    const documented = errorCodeEnum().values ?? [];
    expect(documented.map((value) => value.name.value).sort()).toEqual([...returnedErrorCodes].sort());
    expect(documented.filter((value) => !value.description?.value.trim()).map((value) => value.name.value)).toEqual([]);
  });

  test('every code a description names is one the graph returns', () => {
    const codes = new Set(returnedErrorCodes);
    const otherWords = new Set([...notCodes, ...configVariables()]);
    visit(supergraph, {
      EnumValueDefinition(node) {
        otherWords.add(node.name.value);
      },
    });
    const unknown: string[] = [];
    for (const { where, text } of descriptions()) {
      for (const [word] of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g)) {
        if (word.length >= 3 && !codes.has(word) && !otherWords.has(word)) unknown.push(`${where}: ${word}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
