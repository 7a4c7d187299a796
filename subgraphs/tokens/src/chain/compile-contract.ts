import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { JsonFragment } from 'ethers';

/**
 * Build-time only: turns a contract of `contracts/` into its ABI and bytecode. Running
 * services read the committed artifacts instead (`load-artifact.ts`), so that solc (8 MB of
 * Emscripten, a second to load) stays a devDependency and what is deployed is exactly what
 * was reviewed.
 */

/** The contracts token-nexus deploys, each in `contracts/<name>.sol`. */
export const contractNames = ['NexusToken', 'NexusTokenImplementation', 'NexusTokenFactory'] as const;
export type ContractName = (typeof contractNames)[number];

/** The package's root: source unit names (`contracts/…`) are relative to it. */
const packageRoot = new URL('../../', import.meta.url);

/**
 * `shanghai` rather than solc 0.8.28's default `cancun`: OpenZeppelin 5 emits MCOPY when
 * allowed to, and shanghai bytecode runs unchanged on every chain since the Shanghai fork,
 * including L2s and local nodes that have not taken cancun's opcodes yet. Changing it
 * changes the committed bytecode. One setting for every contract, so that the factory's
 * clones run wherever NexusToken does.
 */
export const compilerSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'shanghai',
} as const;

export interface CompiledContract {
  contractName: ContractName;
  abi: JsonFragment[];
  /** Creation bytecode, 0x-prefixed (constructor arguments are appended to it). */
  bytecode: string;
  /** solc's full version string, e.g. `0.8.28+commit.7893614a.Emscripten.clang`. */
  compiler: string;
  settings: typeof compilerSettings;
  /**
   * sha256 over the contract's source and every file it imports, in source unit name
   * order: it changes when the contract, a contract of ours it imports, or the
   * OpenZeppelin version under it changes.
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

/**
 * Compiles `contracts/<contractName>.sol`; throws with solc's messages when it does not
 * compile. Each contract is a solc input of its own, holding only what it imports, rather
 * than one input for all: the metadata hash at the end of the bytecode covers every source
 * of the input, so a shared input would change NexusToken's bytecode whenever another
 * contract changed.
 */
export function compileContract(contractName: ContractName): CompiledContract {
  const solc = require('solc') as Solc;
  const sourceUnitName = `contracts/${contractName}.sol`;
  const sources = new Map<string, string>([[sourceUnitName, readSource(sourceUnitName)]]);
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
          const contents = readSource(path);
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

/**
 * A source by its unit name: ours (`contracts/…`, also what a relative import from one of
 * them becomes) from this package, anything else (`@openzeppelin/…`) resolved like any
 * other dependency, so that the version is the one the lock file pins.
 */
function readSource(sourceUnitName: string): string {
  const file = sourceUnitName.startsWith('contracts/')
    ? fileURLToPath(new URL(sourceUnitName, packageRoot))
    : require.resolve(sourceUnitName);
  return readFileSync(file, 'utf8');
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
