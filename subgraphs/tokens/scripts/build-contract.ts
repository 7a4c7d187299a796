import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileContract, contractNames } from '../src/chain/compile-contract.ts';

/**
 * Writes contracts/<Name>.json for every contract, the artifacts services deploy from.
 * They are committed: run this after changing a contract or the OpenZeppelin version, and
 * commit them with it (a test fails while they disagree).
 */
for (const name of contractNames) {
  const artifactFile = fileURLToPath(new URL(`../contracts/${name}.json`, import.meta.url));
  const { contractName, compiler, settings, sourceHash, abi, bytecode, warnings } = compileContract(name);
  for (const warning of warnings) console.warn(warning);
  writeFileSync(
    artifactFile,
    `${JSON.stringify({ contractName, compiler, settings, sourceHash, abi, bytecode }, null, 2)}\n`,
  );
  console.log(`wrote ${artifactFile} (${(bytecode.length - 2) / 2} bytes of creation code, ${compiler})`);
}
