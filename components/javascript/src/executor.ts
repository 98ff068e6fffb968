// The golem:exec/executor interface: stateless runs, streamed runs and sessions.
import { GuestError, LANGUAGE, badInput, internalError, toExecError, unsupportedLanguage } from './contract.js';
import type { EvalResult, ExecEvent, ExecResult, File, Language, Limits } from './contract.js';
import { decodeFileContent, sandboxPath } from './input.js';
import { BufferedStdin, LiveStdin, type StdinSource } from './node/stdin.js';
import { liveListener } from './output.js';
import { runProgram } from './program.js';
import { ReplState } from './repl.js';
import type { RunRequest } from './request.js';
import { listFilesRecursive, mkdirp, type Volume } from './volume/volume.js';
import { createSandbox, type Sandbox } from './workspace.js';

const encoder = new TextEncoder();

function checkLanguage(lang: Language) {
  if (lang.kind !== LANGUAGE) throw unsupportedLanguage();
  // language.version is accepted and ignored: the component embeds one engine (SpiderMonkey, Node-style runtime).
}

/** Decodes and validates every file before anything is written, so a bad file leaves nothing half-written. */
function prepareFiles(files: File[], cwd: string[], fileSizeLimit: number | undefined): { path: string[]; bytes: Uint8Array }[] {
  return files.map((file) => {
    const path = sandboxPath(file.name, cwd, 'file name');
    const bytes = decodeFileContent(file);
    if (fileSizeLimit !== undefined && bytes.length > fileSizeLimit) throw new GuestError({ tag: 'resource-exceeded' });
    return { path, bytes };
  });
}

function writeFiles(volume: Volume, prepared: { path: string[]; bytes: Uint8Array }[]) {
  for (const { path, bytes } of prepared) {
    mkdirp(volume, path.slice(0, -1));
    volume.writeFile(path, bytes);
  }
}

const limitOf = (limits: Limits | undefined) => (limits?.fileSizeBytes !== undefined ? Number(limits.fileSizeBytes) : undefined);

/** Runs `fn`, turning anything it throws into a WIT error (an escaping exception would trap the instance). */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new GuestError(toExecError(error));
  }
}

/** Runs one program; a streamed run's chunks are recorded into `events` as they are written. */
function execute(request: RunRequest, events?: ExecEvent[]): Promise<ExecResult> {
  return runProgram(events ? { ...request, listener: liveListener(events) } : request);
}

/** Runs a stateless program in a private directory that is removed afterwards. */
async function statelessRun(lang: Language, files: File[], stdin: StdinSource, args: string[], env: [string, string][], limits: Limits | undefined, events?: ExecEvent[]) {
  checkLanguage(lang);
  if (files.length === 0) throw badInput('no files: the first file is the entry point');
  const prepared = prepareFiles(files, [], limitOf(limits));
  const sandbox = createSandbox('run');
  try {
    writeFiles(sandbox.seed, prepared);
    const request: RunRequest = { volume: sandbox.volume, rootPath: sandbox.rootPath, cwd: [], entry: prepared[0].path, args, env, stdin, limits, ephemeral: true };
    return await execute(request, events);
  } finally {
    sandbox.dispose();
  }
}

export function run(lang: Language, files: File[], stdin: string | undefined, args: string[], env: [string, string][], constraints: Limits | undefined): Promise<ExecResult> {
  return guarded(() => statelessRun(lang, files, new BufferedStdin(encoder.encode(stdin ?? '')), args, env, constraints));
}

export function runStreaming(lang: Language, files: File[], stdin: Uint8Array | undefined, args: string[], env: [string, string][], constraints: Limits | undefined): Promise<ExecStream> {
  return streamOf((events) => statelessRun(lang, files, stdinOf(stdin), args, env, constraints, events));
}

function stdinOf(stdin: Uint8Array | undefined): StdinSource {
  return stdin === undefined ? new LiveStdin() : new BufferedStdin(stdin);
}

/**
 * The bindings ComponentizeJS generates call this on a resource the host dropped (the resource's destructor), so a
 * session dropped without `close` is cleaned up at once, like `close`.
 */
const dispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/**
 * The events of a streamed run. The run happens inside the run-streaming call (ComponentizeJS exports are
 * synchronous at the component level; no upstream issue: async exports need the component model's async ABI, which
 * ComponentizeJS 0.23 does not emit), chunks going live to the component's stdout/stderr as they are produced; the
 * stream then hands out the recorded events.
 */
export class ExecStream {
  private pending: ExecEvent[];
  constructor(events: ExecEvent[]) {
    this.pending = events;
  }
  [dispose]() {
    this.pending = [];
  }
  getNext(): ExecEvent[] | undefined {
    if (this.pending.length === 0) return undefined;
    return this.pending.splice(0);
  }
  blockingGetNext(): ExecEvent[] {
    return this.pending.splice(0);
  }
}

async function streamOf(execute: (events: ExecEvent[]) => Promise<ExecResult>): Promise<ExecStream> {
  const events: ExecEvent[] = [];
  try {
    events.push({ tag: 'finished', val: await execute(events) });
  } catch (error) {
    events.push({ tag: 'failed', val: toExecError(error) });
  }
  return new ExecStream(events);
}

// --------------------------------------------------------------------------------------------------------------

/** Session directories whose handle was dropped without close(): removed when the engine collects the object. */
const abandoned = new FinalizationRegistry<Sandbox>((sandbox) => sandbox.dispose());

export class Session {
  private readonly sandbox: Sandbox | undefined;
  private cwd: string[] = [];
  private closed = false;
  private readonly supported: boolean;
  /** The golem:exec/repl state of this session (see eval). */
  private repl = new ReplState();

  constructor(lang: Language) {
    // A constructor cannot return an error: a session of another language exists but refuses every call.
    this.supported = lang.kind === LANGUAGE;
    if (this.supported) {
      this.sandbox = createSandbox('session');
      abandoned.register(this, this.sandbox, this);
    }
  }

  private open(): Sandbox {
    if (!this.supported) throw unsupportedLanguage();
    if (this.closed || !this.sandbox) throw internalError('session is closed');
    return this.sandbox;
  }

  private persistent(what: string): Sandbox {
    const sandbox = this.open();
    if (!sandbox.volume.persistent) {
      throw internalError(`${what} is unsupported: the host granted this component no filesystem (preopened directory), so session files live in memory and cannot be read back`);
    }
    return sandbox;
  }

  upload(file: File): Promise<void> {
    return guarded(async () => {
      const sandbox = this.open();
      writeFiles(sandbox.volume, prepareFiles([file], this.cwd, undefined));
    });
  }

  private request(entrypoint: string, args: string[], env: [string, string][], stdin: StdinSource, limits: Limits | undefined): RunRequest {
    const { volume, rootPath } = this.open();
    return { volume, rootPath, cwd: this.cwd, entry: sandboxPath(entrypoint, this.cwd, 'entrypoint'), args, env, stdin, limits, ephemeral: false };
  }

  run(entrypoint: string, args: string[], stdin: string | undefined, env: [string, string][], constraints: Limits | undefined): Promise<ExecResult> {
    return guarded(() => execute(this.request(entrypoint, args, env, new BufferedStdin(encoder.encode(stdin ?? '')), constraints)));
  }

  runStreaming(entrypoint: string, args: string[], stdin: Uint8Array | undefined, env: [string, string][], constraints: Limits | undefined): Promise<ExecStream> {
    return streamOf((events) => execute(this.request(entrypoint, args, env, stdinOf(stdin), constraints), events));
  }

  /** The repl interface's eval (index.ts): `code` evaluated in this session's REPL state, in its working directory. */
  evaluate(code: string, constraints: Limits | undefined): Promise<EvalResult> {
    return guarded(async () => {
      const { volume, rootPath } = this.open();
      const request: RunRequest = {
        volume, rootPath, cwd: this.cwd, entry: [...this.cwd, 'REPL'], args: [], env: [], stdin: new BufferedStdin(new Uint8Array(0)),
        limits: constraints, ephemeral: false,
      };
      const repl = this.repl;
      try {
        const { run, timeMs, memoryBytes } = await runProgram(request, repl.evaluation(code, [rootPath, ...this.cwd].join('/')));
        return { stdout: run.stdout, stderr: run.stderr, value: repl.value, timeMs, memoryBytes };
      } catch (error) {
        // A stopped evaluation may have left its state half-changed: it is discarded (the files stay).
        const tag = error instanceof GuestError ? error.payload.tag : undefined;
        if (tag === 'timeout' || tag === 'resource-exceeded') this.repl = new ReplState();
        throw error;
      }
    });
  }

  download(path: string): Promise<Uint8Array> {
    return guarded(async () => {
      const sandbox = this.persistent('download');
      const segments = sandboxPath(path, this.cwd, 'path');
      const stat = sandbox.volume.stat(segments);
      if (!stat || stat.kind !== 'file') throw internalError(`no such file: '${path}'`);
      return sandbox.volume.readFile(segments);
    });
  }

  /** The files interface's remove (index.ts): deletes one file, never a directory. */
  remove(path: string): Promise<void> {
    return guarded(async () => {
      const sandbox = this.persistent('remove');
      const segments = sandboxPath(path, this.cwd, 'path');
      const stat = sandbox.volume.stat(segments);
      if (!stat || stat.kind !== 'file') throw internalError(`no such file: '${path}'`);
      sandbox.volume.unlink(segments);
    });
  }

  listFiles(dir: string): Promise<string[]> {
    return guarded(async () => {
      const sandbox = this.persistent('list-files');
      const segments = sandboxPath(dir, this.cwd, 'directory', true);
      const stat = sandbox.volume.stat(segments);
      if (!stat || stat.kind !== 'directory') throw internalError(`no such directory: '${dir}'`);
      return listFilesRecursive(sandbox.volume, segments);
    });
  }

  setWorkingDir(path: string): Promise<void> {
    return guarded(async () => {
      const sandbox = this.open();
      const segments = sandboxPath(path, this.cwd, 'working directory', true);
      const stat = sandbox.volume.stat(segments);
      if (!stat || stat.kind !== 'directory') throw internalError(`no such directory: '${path}'`);
      this.cwd = segments;
    });
  }

  close(): void {
    if (this.closed || !this.sandbox) return;
    this.closed = true;
    abandoned.unregister(this);
    this.sandbox.dispose();
  }

  [dispose]() {
    this.close();
  }
}
