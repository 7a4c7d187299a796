import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileNexusToken } from '../src/chain/compile-contract.ts';

/**
 * Writes contracts/NexusToken.json, the artifact services deploy from. It is committed:
 * run this after changing the contract or the OpenZeppelin version, and commit both (a
 * test fails while they disagree).
 */
const artifactFile = fileURLToPath(new URL('../contracts/NexusToken.json', import.meta.url));

const { contractName, compiler, settings, sourceHash, abi, bytecode, warnings } = compileNexusToken();
for (const warning of warnings) console.warn(warning);
writeFileSync(
  artifactFile,
  `${JSON.stringify({ contractName, compiler, settings, sourceHash, abi, bytecode }, null, 2)}\n`,
);
console.log(`wrote ${artifactFile} (${(bytecode.length - 2) / 2} bytes of creation code, ${compiler})`);
