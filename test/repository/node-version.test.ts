import { readFileSync, realpathSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const rootPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};

describe('the Node.js the project runs on', () => {
  test('is the LTS the project declares, whatever Node started pnpm', () => {
    const wanted = Number(/^>=(\d+)/.exec(rootPackage.engines.node)?.[1]);
    expect(wanted).toBe(24);
    expect(Number(process.versions.node.split('.')[0])).toBe(wanted);
  });

  test('is the one installed from the npm registry where the project ships one for the platform', () => {
    const shipped = rootPackage.optionalDependencies[`node-${process.platform}-${process.arch}`];
    // Elsewhere (macOS, Windows) the system's Node 24 runs, checked above.
    const expected = shipped ? { version: shipped, fromRegistry: true } : { version: process.versions.node, fromRegistry: false };
    expect({ version: process.versions.node, fromRegistry: realpathSync(process.execPath).includes(`node-${process.platform}-${process.arch}`) }).toEqual(expected);
  });
});
