// The WASI 0.2 imports of a jco-transpiled component, served entirely in the calling thread with synchronous node:fs
// calls (no I/O worker thread, unlike preview2-shim on Node). One call per instance: each gets its own preopens,
// environment and stdio.
//
// jco looks interfaces up by unversioned name ('wasi:io/streams', as WASIShim.getImportObject() keys them) and checks
// `instanceof` against the resource classes given here, so every resource the host hands out comes from these
// modules: a Descriptor's streams are our InputStream/OutputStream, stdio must extend them too.
import { createCli, type CliOptions } from './cli.js';
import { DiskQuota } from './disk-quota.js';
import { wallClock } from './clocks.js';
import { Descriptor, DirectoryEntryStream, OpenFiles, createPreopens, filesystemErrorCode } from './filesystem.js';
import { Pollable, monotonicClock, poll } from './poll.js';
import { insecure, insecureSeed, random } from './random.js';
import { InputStream, IoError, OutputStream } from './streams.js';

export { InputStream, OutputStream, IoError, CLOSED, FileInputStream, FileOutputStream } from './streams.js';
export { Pollable, type WaitSource } from './poll.js';
export { DiskQuota } from './disk-quota.js';

export interface WasiOptions extends CliOptions {
  /** Guest path → host directory (absolute). Nothing else of the host filesystem is reachable. */
  preopens?: Record<string, string>;
  /** Guest paths of preopens whose trees the guest may read but not change (every change fails with `read-only`). */
  readOnlyPreopens?: readonly string[];
}

export interface Wasi {
  /** The import object for jco's `instantiate`. */
  imports: Record<string, object>;
  /** The file-size limit and disk quota every write is checked against (no limit until set). */
  quota: DiskQuota;
  /** Closes every host file the instance still has open (call when the instance is discarded). */
  close(): void;
}

export function createWasi(options: WasiOptions = {}): Wasi {
  const cli = createCli(options);
  const quota = new DiskQuota();
  const files = new OpenFiles(quota);
  const preopens = createPreopens(options.preopens ?? {}, options.readOnlyPreopens ?? [], files);
  const imports = {
    'wasi:cli/environment': cli.environment,
    'wasi:cli/exit': cli.exit,
    'wasi:cli/stdin': cli.stdin,
    'wasi:cli/stdout': cli.stdout,
    'wasi:cli/stderr': cli.stderr,
    'wasi:cli/terminal-input': cli.terminalInput,
    'wasi:cli/terminal-output': cli.terminalOutput,
    'wasi:cli/terminal-stdin': cli.terminalStdin,
    'wasi:cli/terminal-stdout': cli.terminalStdout,
    'wasi:cli/terminal-stderr': cli.terminalStderr,
    'wasi:clocks/monotonic-clock': monotonicClock,
    'wasi:clocks/wall-clock': wallClock,
    // The guest may drop a preopen handle; the entries stay valid (a preopen's fd on its directory is reopened if closed).
    'wasi:filesystem/preopens': { getDirectories: () => [...preopens] },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:random/random': random,
    'wasi:random/insecure': insecure,
    'wasi:random/insecure-seed': insecureSeed,
  };
  return { imports, quota, close: () => files.closeAll() };
}

/** The import object alone, for an instance that lives as long as the process (tests, benchmarks). */
export function createWasiImports(options: WasiOptions = {}): Record<string, object> {
  return createWasi(options).imports;
}
