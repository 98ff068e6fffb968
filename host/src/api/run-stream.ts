// A streamed run as the caller sees it: an async iterator of stdout/stderr chunks as the program writes them, then
// `finished` with the result (or the iterator throws the run's ExecError), plus a writable stdin.
import { stdinBytes } from './wit.js';
import type { RunResult, StreamEvent } from './types.js';

export interface StdinWriter {
  /** Sends input to the running program (ignored once the run is over). */
  write(data: string | Uint8Array): void;
  /** Signals end of input (the program sees EOF). */
  end(): void;
}

/** Where a running program's stdin goes: the sandbox worker executing it. */
export interface StdinTarget {
  writeStdin(data: Uint8Array): void;
  endStdin(): void;
}

/**
 * The stream's stdin: input written before the run reaches its sandbox (it may wait for a pool slot or a session's
 * earlier calls) is kept and delivered, in order, when the run attaches its sandbox; after `detach` it is dropped.
 */
export class StdinRelay implements StdinWriter {
  private target: StdinTarget | undefined;
  private early: (Uint8Array | null)[] = [];

  write(data: string | Uint8Array) {
    const bytes = stdinBytes(data)!;
    if (this.target) this.target.writeStdin(bytes);
    else this.early.push(bytes);
  }

  end() {
    if (this.target) this.target.endStdin();
    else this.early.push(null);
  }

  attach(target: StdinTarget) {
    this.target = target;
    for (const data of this.early.splice(0)) data ? target.writeStdin(data) : target.endStdin();
  }

  detach() {
    this.target = undefined;
  }
}

export type StreamChunk = (stream: 'stdout' | 'stderr', data: Uint8Array) => void;

export class RunStream implements AsyncIterable<StreamEvent> {
  /** The run's result; rejects with an ExecError. Settles whether or not the events are iterated. */
  readonly result: Promise<RunResult>;
  readonly stdin: StdinWriter;
  private queue: StreamEvent[] = [];
  private failure: unknown;
  private done = false;
  private wake: (() => void) | undefined;

  /** `start` runs the program, calling `push` for each chunk and attaching its sandbox to `stdin` once it runs. */
  constructor(start: (push: StreamChunk, stdin: StdinRelay) => Promise<RunResult>) {
    const stdin = new StdinRelay();
    this.stdin = stdin;
    this.result = start((stream, data) => this.push({ type: stream, data }), stdin);
    this.result.then(
      (result) => this.finish(() => this.queue.push({ type: 'finished', result })),
      (error) => this.finish(() => (this.failure = error)),
    );
  }

  private push(event: StreamEvent) {
    this.queue.push(event);
    this.wake?.();
  }

  private finish(record: () => void) {
    record();
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    for (;;) {
      const event = this.queue.shift();
      if (event) {
        yield event;
        continue;
      }
      if (this.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
