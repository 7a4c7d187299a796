import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { JsonFragment } from 'ethers';

/**
 * Build-time only: turns `contracts/NexusToken.sol` into its ABI and bytecode. Running
 * services read the committed artifact instead (`nexus-token.ts`), so that solc (8 MB of
 * Emscripten, a second to load) stays a devDependency and what is deployed is exactly what
 * was reviewed.
 */

/** Where the source lives, and the name solc gives it (part of the bytecode's metadata hash). */
const contractFile = fileURLToPath(new URL('../../contracts/NexusToken.sol', import.meta.url));
const sourceUnitName = 'contracts/NexusToken.sol';
const contractName = 'NexusToken';

/**
 * `shanghai` rather than solc 0.8.28's default `cancun`: ganache 7 (the local node of the
 * tests) has no cancun opcodes, and OpenZeppelin 5 emits MCOPY when allowed to. Shanghai
 * bytecode runs unchanged on every later hard fork.
 */
export const compilerSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'shanghai',
} as const;

export interface CompiledContract {
  contractName: string;
  abi: JsonFragment[];
  /** Creation bytecode, 0x-prefixed (constructor arguments are appended to it). */
  bytecode: string;
  /** solc's full version string, e.g. `0.8.28+commit.7893614a.Emscripten.clang`. */
  compiler: string;
  settings: typeof compilerSettings;
  /**
   * sha256 over the contract's source and every file it imports, in source unit name
   * order: it changes when the contract or the OpenZeppelin version under it changes.
   */
  sourceHash: string;
  /** solc's warnings, formatted; compiling succeeded regardless. */
  warnings: string[];
}

/** The slice of solc-js's (untyped, CommonJS) API used here. */
interface Solc {
  version(): string;
  compile(input: string, callbacks: { import(path: string): { contents: string } | { error: string } }): string;
}

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: JsonFragment[]; evm: { bytecode: { object: string } } }>>;
}

const require = createRequire(import.meta.url);

/** Compiles NexusToken.sol; throws with solc's messages when it does not compile. */
export function compileNexusToken(): CompiledContract {
  const solc = require('solc') as Solc;
  const sources = new Map<string, string>([[sourceUnitName, readFileSync(contractFile, 'utf8')]]);
  const input = {
    language: 'Solidity',
    sources: { [sourceUnitName]: { content: sources.get(sourceUnitName) } },
    settings: {
      ...compilerSettings,
      outputSelection: { [sourceUnitName]: { [contractName]: ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import(path) {
        try {
          // Only package imports (`@openzeppelin/contracts/...`), resolved like any other
          // dependency, so the version is the one the lock file pins.
          const contents = readFileSync(require.resolve(path), 'utf8');
          sources.set(path, contents);
          return { contents };
        } catch (error) {
          return { error: `cannot resolve ${path}: ${(error as Error).message}` };
        }
      },
    }),
  ) as SolcOutput;

  const problems = output.errors ?? [];
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`${contractName} does not compile:\n${errors.map((error) => error.formattedMessage).join('\n')}`);
  }
  const compiled = output.contracts?.[sourceUnitName]?.[contractName];
  if (!compiled) throw new Error(`solc produced no ${contractName} in ${sourceUnitName}`);

  return {
    contractName,
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    compiler: solc.version(),
    settings: compilerSettings,
    sourceHash: hashSources(sources),
    warnings: problems.filter((problem) => problem.severity !== 'error').map((problem) => problem.formattedMessage),
  };
}

function hashSources(sources: Map<string, string>): string {
  const hash = createHash('sha256');
  for (const name of [...sources.keys()].sort()) {
    // Name and length framing, so that moving text between files changes the hash too.
    const contents = sources.get(name)!;
    hash.update(`${name}\n${Buffer.byteLength(contents)}\n`).update(contents);
  }
  return `sha256:${hash.digest('hex')}`;
}
