// The conformance cases under wasmtime. test/wasmtime/run_cases.py runs every case of test/cases (and the host-limit
// cases of test/wasmtime/host-cases) against both components through the wasmtime host in host/wasmtime/, in one
// Python process, and writes every step's outcome to a JSON report; this file turns the report into one test per case
// and language and checks each outcome with the jco suite's own `check` (test/support/driver.ts). It also runs the
// README's `wasmtime run --invoke` command verbatim.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { setupWasmtime, venvPython } from '../scripts/setup-wasmtime.mjs';
import { loadCases, type Case, type Expectation } from './support/cases.js';
import { LANGUAGES, ROOT } from './support/components.js';
import { check, checkStream, type Outcome } from './support/driver.js';

const HOST_CASES = join(ROOT, 'test', 'wasmtime', 'host-cases');
const suites = [
  { title: 'conformance', cases: loadCases() },
  { title: 'host limits', cases: loadCases(HOST_CASES) },
];

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
function exec(command: string, args: string[], options: { shell?: boolean } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, shell: options.shell });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface StepRecord {
  call: string;
  expect?: Expectation;
  outcome?: any;
  uploads?: any[];
  events?: any[];
  getNextAfterEnd?: unknown;
  liveStdout?: string;
  liveStderr?: string;
  crash?: string;
  seconds?: number;
}

let report: { results: Record<string, { steps: StepRecord[] }> } | undefined;
let reportError: Error | undefined;
/** The README command, started beside the driver: both spend most of their time compiling after a rebuild. */
let readmeRun: ReturnType<typeof exec> | undefined;

beforeAll(async () => {
  await setupWasmtime();
  readmeRun = Promise.resolve().then(() => exec('bash', ['-euo', 'pipefail', '-c', readmeInvokeCommand()]));
  readmeRun.catch(() => {}); // awaited (and reported) by its test
  // Kept after the run: it records each case's and step's time under wasmtime.
  const reportPath = join(ROOT, 'build', 'wasmtime-conformance.json');
  const args = ['test/wasmtime/run_cases.py', '--report', reportPath, '--cases', 'test/cases', '--cases', HOST_CASES];
  const run = await exec(venvPython(), args);
  if (run.code !== 0) reportError = new Error(`test/wasmtime/run_cases.py exited with ${run.code}:\n${run.stderr}`);
  else report = JSON.parse(readFileSync(reportPath, 'utf8'));
}, 900_000);

const camel = (key: string) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
const U64_FIELDS = new Set(['timeMs', 'memoryBytes']);

/** The Python report's values in the shape jco gives the JS driver: camelCase fields, u64 as bigint, bytes as
 * Uint8Array, option none as undefined. */
function fromPython(value: any): any {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(fromPython);
  if (typeof value !== 'object') return value;
  if ('$bytes' in value) return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const converted = fromPython(v);
      return [camel(key), U64_FIELDS.has(camel(key)) && typeof converted === 'number' ? BigInt(converted) : converted];
    }),
  );
}

function verifyStep(record: StepRecord) {
  if (record.crash) throw new Error(`the wasmtime driver failed:\n${record.crash}`);
  if (record.uploads) for (const upload of record.uploads) expect(fromPython(upload)).toEqual({ ok: true, value: undefined });
  if (record.events) {
    expect(fromPython(record.getNextAfterEnd), 'get-next once the stream is over').toBeUndefined();
    checkStream(record.expect, fromPython(record.events) as any[], { stdout: record.liveStdout ?? '', stderr: record.liveStderr ?? '' });
  }
  // Host cases only (output too long for an exact liveStdout): what the component wrote to its own stdio, for streamed
  // and blocking runs alike (a program's raw descriptor writes land there).
  const live = record.expect as { liveStdoutMatches?: string; liveStderrMatches?: string } | undefined;
  if (live?.liveStdoutMatches) expect(record.liveStdout ?? '', 'live stdout').toMatch(new RegExp(live.liveStdoutMatches));
  if (live?.liveStderrMatches) expect(record.liveStderr ?? '', 'live stderr').toMatch(new RegExp(live.liveStderrMatches));
  // Host cases only: what a call the host stopped printed before the stop (beside an error without a payload).
  const printed = (record.expect as { printed?: { stdout: string; stderr: string } } | undefined)?.printed;
  if (printed) expect((record.outcome as { printed?: unknown } | undefined)?.printed, 'printed').toEqual(printed);
  if (record.outcome) {
    const defaultsToOk = record.call.endsWith('.upload') || record.call.endsWith('.set-working-dir');
    check(record.expect ?? (defaultsToOk ? { ok: true } : undefined), fromPython(record.outcome) as Outcome);
  }
}

function verifyCase(language: string, testCase: Case) {
  if (reportError) throw reportError;
  const result = report?.results[`${language}/${testCase.name}`];
  if (!result) throw new Error(`the wasmtime driver reported nothing for ${language}/${testCase.name}`);
  for (const [index, record] of result.steps.entries()) {
    try {
      verifyStep(record);
    } catch (error) {
      if (error instanceof Error) error.message = `step ${index + 1} (${record.call}): ${error.message}`;
      throw error;
    }
  }
  expect(result.steps.length, 'every step ran').toBe(testCase.steps.length);
}

for (const { title, cases } of suites) {
  for (const language of LANGUAGES) {
    describe(`wasmtime ${title}: exec-${language}`, () => {
      for (const testCase of cases) {
        const reason = testCase.skip[language];
        if (reason) {
          test.skip(`${testCase.name}: not applicable to ${language}: ${reason}`, () => {});
          continue;
        }
        test(`${testCase.name}: ${testCase.description}`, () => verifyCase(language, testCase));
      }
    });
  }
}

/** The shell block of README's "Loading the components in wasmtime" section that runs `wasmtime run --invoke`. */
function readmeInvokeCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Loading the components in wasmtime'));
  if (!section) throw new Error('README.md has no section "Loading the components in wasmtime"');
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('--invoke'));
  if (!block) throw new Error('README.md\'s wasmtime section has no sh block with `wasmtime run --invoke`');
  return block;
}

describe('wasmtime CLI', () => {
  test('the README\'s `wasmtime run --invoke` command runs a stateless Python program', async () => {
    if (!readmeRun) throw new Error('the README command was not started');
    const run = await readmeRun;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok\(\{run: \{stdout: "hello from wasmtime\\n", stderr: "", exit-code: some\(0\)\}, time-ms: some\(\d+\)/);
  }, 600_000);
});
