import { readFileSync } from 'node:fs';
import { nexusTokenAbi, nexusTokenBytecode } from '@token-nexus/tokens/chain';
import { expect, test } from 'vitest';
// Build-time code, deliberately not exported by the package (it loads solc, a devDependency).
import { compileNexusToken } from '../../subgraphs/tokens/src/chain/compile-contract.ts';

const artifactFile = new URL('../../subgraphs/tokens/contracts/NexusToken.json', import.meta.url);
const rebuild = 'contracts/NexusToken.json is out of date: run `pnpm --filter @token-nexus/tokens build:contract` and commit it';

test('the committed NexusToken artifact is what the contract source compiles to', () => {
  const committed = JSON.parse(readFileSync(artifactFile, 'utf8')) as { abi: unknown; bytecode: string; sourceHash: string };
  const compiled = compileNexusToken();

  expect(compiled.sourceHash, rebuild).toBe(committed.sourceHash);
  expect(compiled.abi, rebuild).toEqual(committed.abi);
  expect(compiled.bytecode, rebuild).toBe(committed.bytecode);
  expect(compiled.warnings).toEqual([]);
  // And services deploy exactly that artifact.
  expect(nexusTokenBytecode).toBe(committed.bytecode);
  expect(nexusTokenAbi).toEqual(committed.abi);
});
