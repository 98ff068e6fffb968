// The npm package as a user installs it: scripts/check-package.mjs packs the repository, installs the tarball into an
// empty temporary project and runs both languages through the library, the CLI (npx), `serve` and `mcp`, and type-checks
// a consumer with TypeScript 5.0. It runs with the Node that runs this test (each Node of `npm test`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe(`npm package (Node ${process.versions.node})`, () => {
  it('packs, installs into an empty project with its runtime dependencies only, and runs as a user runs it', () => {
    const result = spawnSync(process.execPath, ['scripts/check-package.mjs'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    // The numbers the README quotes (tarball size, pack-install-run time), printed where CI's log shows them.
    console.log(`package check: ${JSON.stringify(summary)}`);
    expect(summary.node).toBe(process.versions.node);
    expect(summary.tarballBytes).toBeGreaterThan(0);
  }, 900_000);
});
