// Executes a conformance case's steps against one component instance through the raw golem:exec WIT API, and checks
// each step's expectations. Shared by the jco suite; the wasmtime suite runs the same steps through its own adapter.
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { captureStdio, type LanguageName, type TestInstance } from './components.js';
import type { Case, CaseFile, Expectation, Step } from './cases.js';

const EXT: Record<LanguageName, string> = { javascript: 'js', python: 'py' };

/** Outcome of one WIT call: ok with a value, or the WIT error variant. */
export type Outcome = { ok: true; value: any } | { ok: false; error: { tag: string; val?: any } };

function substitute<T>(value: T, language: LanguageName, entry: string): T {
  if (typeof value === 'string') return value.replaceAll('${ext}', EXT[language]).replaceAll('${entry}', entry) as T;
  if (Array.isArray(value)) return value.map((v) => substitute(v, language, entry)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, language, entry)])) as T;
  return value;
}

function toWitFile(file: CaseFile) {
  const content = Buffer.from(file.content, file.contentEncoding ?? 'utf8');
  return { name: file.name, content: new Uint8Array(content), encoding: file.encoding ?? undefined };
}

function toLimits(limits: any) {
  if (!limits) return undefined;
  const big = (v: unknown) => (v === undefined ? undefined : BigInt(v as number));
  return { timeMs: big(limits.timeMs), memoryBytes: big(limits.memoryBytes), fileSizeBytes: big(limits.fileSizeBytes), maxProcesses: limits.maxProcesses };
}

function call(fn: () => any): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error: any) {
    if (error && typeof error === 'object' && 'payload' in error) return { ok: false, error: error.payload };
    throw error;
  }
}

const decoder = new TextDecoder();

/** Reads a stream to its end, then drops its handle (as a host should once it is done with it). */
function collectStream(stream: any) {
  const events: any[] = [];
  for (let batch = stream.blockingGetNext(); batch.length; batch = stream.blockingGetNext()) events.push(...batch);
  expect(stream.getNext(), 'get-next once the stream is over').toBeUndefined();
  stream[Symbol.dispose]();
  return events;
}

function streamOutcome(events: any[]): Outcome {
  const last = events.at(-1);
  return last?.tag === 'finished' ? { ok: true, value: last.val } : { ok: false, error: last?.val };
}

export class CaseRunner {
  private sessions: Record<string, any> = {};

  constructor(
    private readonly language: LanguageName,
    private readonly testCase: Case,
    private readonly instance: TestInstance,
  ) {}

  private get sources(): CaseFile[] {
    const files = this.testCase.sources[this.language];
    if (!files?.length) throw new Error(`test/cases/${this.testCase.name} has no ${this.language}/ sources and no skip entry for ${this.language}`);
    return files;
  }

  private get entry(): string {
    return this.testCase.sources[this.language]?.[0]?.name ?? `main.${EXT[this.language]}`;
  }

  async runAll() {
    for (const [index, raw] of this.testCase.steps.entries()) {
      const merged = { ...raw, ...(raw.byLanguage?.[this.language] ?? {}) } as Step;
      const step = substitute(merged, this.language, this.entry);
      try {
        this.runStep(step);
      } catch (error) {
        if (error instanceof Error) error.message = `step ${index + 1} (${step.call}): ${error.message}`;
        throw error;
      }
    }
    for (const session of Object.values(this.sessions)) {
      session.close();
      session[Symbol.dispose]();
    }
  }

  private lang(step: Step) {
    return { kind: this.language, version: undefined, ...(step.lang as object) };
  }

  private runStep(step: Step) {
    const { executor } = this.instance;
    const [owner, verb] = step.call.includes('.') ? (step.call.split('.') as [string, string]) : ['executor', step.call];
    const files = () => ((step.files as CaseFile[] | undefined) ?? this.sources).map(toWitFile);
    const env = (step.env as [string, string][]) ?? [];
    const args = (step.args as string[]) ?? [];
    const limits = toLimits(step.limits);
    const stdinBytes = step.stdin === undefined ? new Uint8Array() : new TextEncoder().encode(step.stdin as string);

    if (owner === 'host') {
      const dir = this.instance.dir;
      if (!dir) throw new Error(`${step.call} needs a preopened directory`);
      if (verb === 'session-dirs') {
        // What is left on the host: the directories of sessions that were neither closed nor reclaimed.
        const count = readdirSync(dir).filter((name) => name.startsWith('session-')).length;
        expect(count, 'session directories on the host').toBe((step.expect as { count: number }).count);
        return;
      }
      if (verb !== 'symlink') throw new Error(`unknown call ${step.call}`);
      // A symlink the host (or an attacker with host access) planted in every sandbox directory of the instance.
      for (const entry of readdirSync(dir)) symlinkSync(step.target as string, join(dir, entry, step.name as string));
      return;
    }
    if (owner === 'executor') {
      if (verb === 'run') return check(step.expect, call(() => executor.run(this.lang(step), files(), step.stdin, args, env, limits)));
      if (verb === 'run-streaming') {
        const captured = captureStdio(() => executor.runStreaming(this.lang(step), files(), stdinBytes, args, env, limits));
        return checkStream(step.expect, collectStream(captured.value), captured);
      }
      throw new Error(`unknown call ${step.call}`);
    }
    if (verb === 'create') {
      this.sessions[owner] = new executor.Session(this.lang(step));
      return;
    }
    const session = this.sessions[owner];
    if (!session) throw new Error(`${owner}.create must come before ${step.call}`);
    switch (verb) {
      case 'upload-sources':
        for (const file of this.sources) expect(call(() => session.upload(toWitFile(file)))).toEqual({ ok: true, value: undefined });
        return;
      case 'upload':
        return check(step.expect ?? { ok: true }, call(() => session.upload(toWitFile(step.file as CaseFile))));
      case 'run':
        return check(step.expect, call(() => session.run(step.entrypoint, args, step.stdin, env, limits)));
      case 'run-streaming': {
        const captured = captureStdio(() => session.runStreaming(step.entrypoint, args, stdinBytes, env, limits));
        return checkStream(step.expect, collectStream(captured.value), captured);
      }
      case 'eval':
        return check(step.expect, call(() => this.instance.repl.eval(session, step.code, limits)));
      case 'download':
        return check(step.expect, call(() => session.download(step.path)));
      case 'list-files':
        return check(step.expect, call(() => session.listFiles(step.dir)));
      case 'remove':
        return check(step.expect ?? { ok: true }, call(() => this.instance.files.remove(session, step.path)));
      case 'set-working-dir':
        return check(step.expect ?? { ok: true }, call(() => session.setWorkingDir(step.path)));
      case 'close':
        session.close();
        return;
      case 'drop':
        session[Symbol.dispose]();
        delete this.sessions[owner];
        return;
    }
    throw new Error(`unknown call ${step.call}`);
  }
}

function textChecks(label: string, actual: string, exact?: string, includes?: string[], excludes?: string[], matches?: string) {
  if (exact !== undefined) expect(actual, label).toBe(exact);
  for (const part of includes ?? []) expect(actual, label).toContain(part);
  for (const part of excludes ?? []) expect(actual, label).not.toContain(part);
  if (matches !== undefined) expect(actual, label).toMatch(new RegExp(matches));
}

export function check(expectation: Expectation | undefined, outcome: Outcome) {
  if (!expectation) throw new Error('step has no expect');
  const describe = JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? decoder.decode(v) : v)).slice(0, 2000);
  if (expectation.ok !== undefined) expect(outcome.ok, `ok? outcome: ${describe}`).toBe(expectation.ok);
  if (expectation.error !== undefined) {
    expect(outcome.ok, `expected error ${expectation.error}, got ${describe}`).toBe(false);
    if (!outcome.ok) expect(outcome.error.tag, describe).toBe(expectation.error);
  }
  // The stage whose output is checked: the run stage of a result, or the stage-result an error carries.
  // An eval-result is its own stage (stdout and stderr, no exit code).
  const evalResult = outcome.ok && outcome.value && typeof outcome.value === 'object' && 'value' in outcome.value ? outcome.value : undefined;
  const stage = outcome.ok ? outcome.value?.run ?? evalResult : outcome.error?.val && typeof outcome.error.val === 'object' ? outcome.error.val : undefined;
  const wantsStage = ['stdout', 'stderr', 'stdoutIncludes', 'stderrIncludes', 'stdoutExcludes', 'stderrExcludes', 'stdoutMatches', 'stderrMatches', 'exitCode'].some((k) => k in expectation);
  if (wantsStage) {
    expect(stage, `a stage result, got ${describe}`).toBeTruthy();
    textChecks(`stdout (${describe})`, stage.stdout, expectation.stdout, expectation.stdoutIncludes, expectation.stdoutExcludes, expectation.stdoutMatches);
    textChecks(`stderr (${describe})`, stage.stderr, expectation.stderr, expectation.stderrIncludes, expectation.stderrExcludes, expectation.stderrMatches);
    if ('exitCode' in expectation) expect(stage.exitCode ?? null, `exit code (${describe})`).toBe(expectation.exitCode);
    expect(stage.signal, 'signal').toBeUndefined();
  }
  if (outcome.ok && outcome.value && typeof outcome.value === 'object' && 'run' in outcome.value) {
    expect(typeof outcome.value.timeMs, 'time-ms is filled for every run').toBe('bigint');
  }
  if ('value' in expectation) {
    expect(evalResult, `an eval result, got ${describe}`).toBeTruthy();
    expect(evalResult.value ?? null, `value (${describe})`).toBe(expectation.value);
  }
  if (expectation.messageIncludes) {
    expect(outcome.ok ? undefined : outcome.error.tag, describe).toBe('internal');
    if (!outcome.ok) for (const part of expectation.messageIncludes) expect(outcome.error.val).toContain(part);
  }
  if (expectation.bytes) {
    expect(outcome.ok, describe).toBe(true);
    const bytes = Buffer.from(outcome.ok ? outcome.value : []);
    const [[encoding, text]] = Object.entries(expectation.bytes);
    expect(bytes.toString(encoding as BufferEncoding), 'downloaded bytes').toBe(text);
  }
  if (expectation.files || expectation.filesInclude || expectation.filesExclude) {
    expect(outcome.ok, describe).toBe(true);
    const files: string[] = outcome.ok ? outcome.value : [];
    if (expectation.files) expect(files).toEqual(expectation.files);
    for (const f of expectation.filesInclude ?? []) expect(files).toContain(f);
    for (const f of expectation.filesExclude ?? []) expect(files).not.toContain(f);
  }
}

export function checkStream(expectation: Expectation | undefined, events: any[], live: { stdout: string; stderr: string }) {
  if (!expectation) throw new Error('step has no expect');
  expect(events.length, 'a stream has at least its final event').toBeGreaterThan(0);
  const final = events.at(-1);
  expect(['finished', 'failed'], 'the last event ends the stream').toContain(final.tag);
  expect(events.slice(0, -1).every((e) => e.tag === 'stdout-chunk' || e.tag === 'stderr-chunk'), 'only chunks before the end').toBe(true);
  const chunks = (tag: string) => decoder.decode(Buffer.concat(events.filter((e) => e.tag === tag).map((e) => e.val)));
  const order = events.map((e) => e.tag).filter((tag, i, all) => i === 0 || tag !== all[i - 1]);
  if (expectation.events?.order) expect(order).toEqual(expectation.events.order);
  if (expectation.events?.last) expect(final.tag).toBe(expectation.events.last);
  if (expectation.liveStdout !== undefined) expect(live.stdout, 'live stdout').toBe(expectation.liveStdout);
  if (expectation.liveStderr !== undefined) expect(live.stderr, 'live stderr').toBe(expectation.liveStderr);
  // The chunks are the run's output: what the final result reports.
  const outcome = streamOutcome(events);
  if (outcome.ok) {
    expect(chunks('stdout-chunk'), 'stdout chunks = result stdout').toBe(outcome.value.run.stdout);
    expect(chunks('stderr-chunk'), 'stderr chunks = result stderr').toBe(outcome.value.run.stderr);
  }
  const { liveStdout, liveStderr, events: _e, ...rest } = expectation;
  if (Object.keys(rest).length) check(rest, outcome);
}
