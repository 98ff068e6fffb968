// The npm package as a user installs it: scripts/check-package.mjs packs the repository, installs the tarball into an
// empty temporary project and runs both languages through the library, the CLI (npx), `serve` and `mcp`, and type-checks
// a consumer with TypeScript 5.0. It runs with the Node that runs this test (each Node of `npm test`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe(`npm package (Node ${process.versions.node})`, () => {
  it('packs, installs into an empty project with its runtime dependencies only, and runs as a user runs it', async () => {
    // Asynchronously: the check takes a minute or two, and a synchronous spawn would block this worker's event loop
    // (vitest's worker-to-runner calls time out after 60 s).
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/check-package.mjs'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    // The numbers the README quotes (tarball size, pack-install-run time), printed where CI's log shows them.
    console.log(`package check: ${JSON.stringify(summary)}`);
    expect(summary.node).toBe(process.versions.node);
    expect(summary.tarballBytes).toBeGreaterThan(0);
  }, 900_000);
});
