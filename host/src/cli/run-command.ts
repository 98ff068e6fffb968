// `golem-exec run`: reads the program from disk, runs it in a sandbox streaming its output live, and turns the outcome
// into an exit status like the language's own CLI would (program's exit code; 124 on timeout like timeout(1); 1 for
// a compile or runtime failure).
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ExecError, Executor, OptionError, type FileInput, type LanguageName, type Mount, type RunOptions, type RunResult } from '../index.js';
import { LANGUAGE_NAME_LIST, LANGUAGE_OF_EXTENSION, isLanguageName } from '../api/languages.js';
import { parseDuration, parseSize } from './units.js';
import { LIMITS, LIMIT_NAMES, type Limits, type LimitSpec } from '../api/limits.js';

export const TIMEOUT_EXIT = 124;

/** The limits `run` takes as flags (LIMITS[name].cli), with the key commander stores each under. */
export function limitFlags() {
  return LIMIT_NAMES.flatMap((name) => {
    const { cli } = LIMITS[name] as LimitSpec;
    if (!cli) return [];
    const key = cli.flag.replace(/^--/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
    return [{ name, key, ...cli }];
  });
}

/** A mistake in the command line: one line on stderr, exit 2. */
export class UsageError extends Error {}

export interface RunFlags {
  eval?: string;
  lang?: string;
  stdin?: string;
  env?: string[];
  file?: string[];
  /** The limits' flags (LIMITS[name].cli), by commander's name for them (`--file-size` → `fileSize`). */
  [limitFlag: string]: unknown;
  json?: boolean;
  mount?: string[];
}

function readSource(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error: any) {
    throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

function language(flags: RunFlags, file: string | undefined): LanguageName {
  if (flags.lang !== undefined) {
    if (isLanguageName(flags.lang)) return flags.lang;
    throw new UsageError(`unknown language '${flags.lang}' (use one of ${LANGUAGE_NAME_LIST.join(', ')})`);
  }
  if (flags.eval !== undefined) throw new UsageError(`--eval needs --lang (one of ${LANGUAGE_NAME_LIST.join(', ')})`);
  const byExtension = LANGUAGE_OF_EXTENSION[extname(file!).toLowerCase()];
  if (!byExtension) throw new UsageError(`cannot tell the language of '${file}' from its extension: use --lang`);
  return byExtension;
}

/** The entry and the --file extras, named relative to the entry's directory (the program's working directory). */
function programFiles(file: string, extras: string[]): FileInput[] {
  const base = dirname(resolve(file));
  const files: FileInput[] = [{ name: basename(file), content: readSource(file) }];
  for (const extra of extras) {
    const name = relative(base, resolve(extra));
    if (name.startsWith('..') || isAbsolute(name)) {
      throw new UsageError(`--file ${extra} is outside the entry file's directory (${base})`);
    }
    files.push({ name: name.split(sep).join('/'), content: readSource(extra) });
  }
  return files;
}

function environment(pairs: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** `--mount HOST:GUEST[:rw|:ro]` (read-only by default); the library checks the paths themselves. */
function mounts(specs: string[] = []): Mount[] {
  return specs.map((spec) => {
    const mode = /:(rw|ro)$/.exec(spec)?.[1];
    const paths = mode ? spec.slice(0, -3) : spec;
    const at = paths.lastIndexOf(':');
    if (at <= 0 || at === paths.length - 1) throw new UsageError(`--mount ${spec}: expected HOST:GUEST or HOST:GUEST:rw`);
    return { hostPath: paths.slice(0, at), guestPath: paths.slice(at + 1), readOnly: mode !== 'rw' };
  });
}

function stdinOption(flag: string | undefined): Uint8Array | undefined {
  if (flag === undefined) return undefined;
  return readSource(flag === '-' ? '/dev/stdin' : flag);
}

export function buildRunOptions(file: string | undefined, args: string[], flags: RunFlags): RunOptions {
  if (flags.eval === undefined && file === undefined) throw new UsageError('run needs a FILE or --eval CODE');
  // --eval's program is one source string: extra files would be dropped without a word.
  if (flags.eval !== undefined && flags.file?.length) throw new UsageError('--file cannot be used with --eval (give the program as a FILE instead)');
  const lang = language(flags, file);
  const programArgs = flags.eval !== undefined && file !== undefined ? [file, ...args] : args;
  const limits: Limits = {};
  for (const { name, flag, unit, key } of limitFlags()) {
    const raw = flags[key];
    if (typeof raw !== 'string') continue;
    try {
      limits[name] = unit === 'duration' ? parseDuration(flag, raw) : parseSize(flag, raw);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    language: lang,
    ...(flags.eval !== undefined ? { code: flags.eval } : { files: programFiles(file!, flags.file ?? []) }),
    stdin: stdinOption(flags.stdin),
    args: programArgs,
    env: environment(flags.env),
    limits,
    ...(flags.mount?.length && { mounts: mounts(flags.mount) }),
  };
}

/** Runs the program; returns the process exit status. */
export async function runCommand(file: string | undefined, args: string[], flags: RunFlags): Promise<number> {
  const options = buildRunOptions(file, args, flags);
  // One program per process: a sandbox started for it, no pool to warm (dedicated.ts).
  const executor = new Executor({ pool: false });
  const stream = (() => {
    try {
      return executor.stream(options);
    } catch (error) {
      if (error instanceof OptionError) throw new UsageError(error.message);
      throw error;
    }
  })();
  const forwardStdin = options.stdin === undefined;
  if (forwardStdin) {
    process.stdin.on('data', (data: Buffer) => stream.stdin.write(data));
    process.stdin.on('end', () => stream.stdin.end());
  }
  const streamed = { stdout: 0, stderr: 0 };
  let outcome: { result?: RunResult; error?: unknown };
  try {
    for await (const event of stream) {
      if (event.type === 'finished' || flags.json) continue;
      streamed[event.type] += event.data.length;
      (event.type === 'stdout' ? process.stdout : process.stderr).write(event.data);
    }
    outcome = { result: await stream.result };
  } catch (error) {
    outcome = { error };
  } finally {
    if (forwardStdin) process.stdin.destroy();
    await executor.close();
  }
  return flags.json ? reportJson(outcome) : report(outcome, streamed, options);
}

function reportJson({ result, error }: { result?: RunResult; error?: unknown }): number {
  if (result) {
    process.stdout.write(JSON.stringify({ ok: true, result }, null, 2) + '\n');
    return result.exitCode ?? 0;
  }
  if (!(error instanceof ExecError)) throw error;
  process.stdout.write(JSON.stringify({ ok: false, error: error.toJSON() }, null, 2) + '\n');
  return exitStatus(error);
}

function report({ result, error }: { result?: RunResult; error?: unknown }, streamed: { stdout: number; stderr: number },
  options: RunOptions): number {
  if (result) return result.exitCode ?? 0;
  if (!(error instanceof ExecError)) throw error;
  // A diagnostic the guest reported only in the error (not as live output) is printed now.
  const stderr = Buffer.from(error.stderr);
  if (stderr.length > streamed.stderr) process.stderr.write(stderr.subarray(streamed.stderr));
  if (error.tag === 'timeout') {
    const limit = options.limits?.timeMs;
    process.stderr.write(`golem-exec: timed out${limit ? ` after ${limit} ms` : ''}\n`);
  } else if (error.tag === 'resource-exceeded') process.stderr.write(`golem-exec: ${error.message}\n`);
  else if (error.tag === 'internal' || error.tag === 'unsupported-language') process.stderr.write(`golem-exec: ${error.message}\n`);
  return exitStatus(error);
}

function exitStatus(error: ExecError): number {
  if (error.tag === 'timeout') return TIMEOUT_EXIT;
  return 1;
}
