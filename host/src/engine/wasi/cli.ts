// wasi:cli/* for a sandboxed instance: an explicit environment, no arguments unless given, stdio from the embedder
// (default: stdin empty, stdout/stderr to this process's), and `exit` as a trap (the guest cannot end the host).
import { InputStream, OutputStream } from './streams.js';

/** Writes to this process's stdout or stderr (read at each write, so a test can capture them). */
class ProcessOutput extends OutputStream {
  constructor(private readonly name: 'stdout' | 'stderr') {
    super();
  }
  override write(contents: Uint8Array): void {
    process[this.name].write(contents.slice());
  }
}

export interface CliOptions {
  env?: Record<string, string>;
  args?: string[];
  /** The guest's initial working directory (a guest path), if any. */
  cwd?: string;
  stdin?: InputStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Report stdio as a terminal (default: yes; see below). */
  terminal?: boolean;
}

/** A guest that calls wasi:cli/exit leaves its instance unusable: jco reports the thrown error as a trap. */
export class GuestExit extends Error {
  constructor(readonly code: number) {
    super(`the guest called wasi:cli/exit (status ${code})`);
  }
}

// Stdio is reported as a terminal, as preview2-shim does: guests then keep their stdout line-buffered, which the
// live forwarding of streamed runs relies on.
class TerminalInput {}
class TerminalOutput {}

export function createCli(options: CliOptions) {
  const env = Object.entries(options.env ?? {});
  const args = options.args ?? [];
  const stdin = options.stdin ?? new InputStream();
  const stdout = options.stdout ?? new ProcessOutput('stdout');
  const stderr = options.stderr ?? new ProcessOutput('stderr');
  const terminalIn = new TerminalInput();
  const terminalOut = new TerminalOutput();
  const terminalErr = new TerminalOutput();
  const terminal = options.terminal ?? true;
  return {
    environment: { getEnvironment: () => env, getArguments: () => args, initialCwd: () => options.cwd },
    exit: {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw new GuestExit(status.tag === 'ok' ? 0 : 1);
      },
      exitWithCode(code: number): never {
        throw new GuestExit(code);
      },
    },
    stdin: { getStdin: () => stdin },
    stdout: { getStdout: () => stdout },
    stderr: { getStderr: () => stderr },
    terminalInput: { TerminalInput },
    terminalOutput: { TerminalOutput },
    terminalStdin: { getTerminalStdin: () => (terminal ? terminalIn : undefined) },
    terminalStdout: { getTerminalStdout: () => (terminal ? terminalOut : undefined) },
    terminalStderr: { getTerminalStderr: () => (terminal ? terminalErr : undefined) },
  };
}
