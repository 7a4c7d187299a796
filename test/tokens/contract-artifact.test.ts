import { readFileSync } from 'node:fs';
import {
  nexusTokenAbi,
  nexusTokenBytecode,
  nexusTokenFactoryAbi,
  nexusTokenFactoryBytecode,
  nexusTokenImplementationAbi,
  nexusTokenImplementationBytecode,
} from '@token-nexus/tokens/chain';
import type { JsonFragment } from 'ethers';
import { expect, test } from 'vitest';
// Build-time code, deliberately not exported by the package (it loads solc, a devDependency).
import { compileContract, contractNames, type ContractName } from '../../subgraphs/tokens/src/chain/compile-contract.ts';

/** What services deploy of each contract, as the package exports it. */
const deployed: Record<ContractName, { abi: readonly JsonFragment[]; bytecode: string }> = {
  NexusToken: { abi: nexusTokenAbi, bytecode: nexusTokenBytecode },
  NexusTokenImplementation: { abi: nexusTokenImplementationAbi, bytecode: nexusTokenImplementationBytecode },
  NexusTokenFactory: { abi: nexusTokenFactoryAbi, bytecode: nexusTokenFactoryBytecode },
};

test.each(contractNames)('the committed %s artifact is what the contract source compiles to', (name) => {
  const artifactFile = new URL(`../../subgraphs/tokens/contracts/${name}.json`, import.meta.url);
  const rebuild = `contracts/${name}.json is out of date: run \`pnpm --filter @token-nexus/tokens build:contract\` and commit it`;
  const committed = JSON.parse(readFileSync(artifactFile, 'utf8')) as { abi: unknown; bytecode: string; sourceHash: string };
  const compiled = compileContract(name);

  expect(compiled.sourceHash, rebuild).toBe(committed.sourceHash);
  expect(compiled.abi, rebuild).toEqual(committed.abi);
  expect(compiled.bytecode, rebuild).toBe(committed.bytecode);
  expect(compiled.warnings).toEqual([]);
  // And services deploy exactly that artifact.
  expect(deployed[name].bytecode).toBe(committed.bytecode);
  expect(deployed[name].abi).toEqual(committed.abi);
});
