import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, test } from 'vitest';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** The repository's own text files (what a clone holds), without lock files and generated code. */
function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((file) => file && /\.(md|ts|mjs|js|json|ya?ml|prisma|graphql|toml)$|(^|\/)(Dockerfile|run)$/.test(file))
    .filter((file) => !/(^|\/)(pnpm-lock\.yaml|__generated__\/|generated\/)/.test(file) && existsSync(join(repoRoot, file)));
}

describe('the repository stands on its own', () => {
  test('no file points outside it (a sibling folder of the checkout)', () => {
    const outside = trackedTextFiles().filter((file) => /\.\.\/shared\/|\.\.\/\.\.\/shared\b/.test(readFileSync(join(repoRoot, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  test('every Markdown file a file names exists', () => {
    const missing: string[] = [];
    for (const file of trackedTextFiles()) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      // Links in Markdown ([text](path)) and paths in backticks or prose ending in .md.
      const links = [...text.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)].map((match) => ({ path: match[1]!, relative: true }));
      const named = [...text.matchAll(/(?<![\w./-])((?:[\w.-]+\/)*[\w.-]+\.md)\b/g)].map((match) => ({ path: match[1]!, relative: false }));
      for (const { path, relative } of [...links, ...named]) {
        if (/^https?:/.test(path)) continue;
        const fromFile = normalize(join(dirname(file), path));
        const fromRoot = normalize(path);
        const found = existsSync(join(repoRoot, fromFile)) || (!relative && existsSync(join(repoRoot, fromRoot)));
        if (!found) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
