import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// @foundry-rs/anvil names its platform packages after Go's platforms and architectures,
// not node's.
const platforms: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'darwin', win32: 'win32' };
const architectures: Partial<Record<NodeJS.Architecture, string>> = { x64: 'amd64', arm64: 'arm64' };

let resolved: string | undefined;

/**
 * The path of this platform's anvil executable, from `@foundry-rs/anvil`'s optional
 * dependency `@foundry-rs/anvil-<platform>-<arch>`.
 *
 * The wrapper's own `anvil` bin is a node script that spawns this same executable: run
 * through it, every node would cost a second process, and a SIGKILL would reach only the
 * script and leave anvil running. The platform package is the wrapper's dependency, not
 * ours, so it is resolved from the wrapper's location (pnpm installs it beside the wrapper
 * only).
 *
 * @throws when anvil publishes no executable for this platform, or when the package
 *   manager skipped it (e.g. an install made on another platform and copied here).
 */
export function anvilBinary(): string {
  if (resolved) return resolved;
  const platform = platforms[process.platform];
  const architecture = architectures[process.arch];
  const wrapperManifest = createRequire(import.meta.url).resolve('@foundry-rs/anvil/package.json');
  const wrapper = JSON.parse(readFileSync(wrapperManifest, 'utf8')) as {
    version: string;
    optionalDependencies?: Record<string, string>;
  };
  const published = Object.keys(wrapper.optionalDependencies ?? {});
  const name = platform && architecture ? `@foundry-rs/anvil-${platform}-${architecture}` : undefined;
  if (!name || !published.includes(name)) {
    throw new Error(
      `@foundry-rs/anvil ${wrapper.version} has no executable for ${process.platform}/${process.arch} ` +
        `(it publishes ${published.join(', ')})`,
    );
  }
  let manifest: string;
  try {
    manifest = createRequire(wrapperManifest).resolve(`${name}/package.json`);
  } catch {
    throw new Error(
      `${name} is not installed: it is @foundry-rs/anvil's optional dependency for this platform, ` +
        'which the package manager skips when it installed for another one; run pnpm install here',
    );
  }
  const binary = join(dirname(manifest), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  if (!existsSync(binary)) throw new Error(`${name} is installed without its executable ${binary}`);
  resolved = binary;
  return binary;
}
