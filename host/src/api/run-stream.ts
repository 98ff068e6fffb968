// A streamed run as the caller sees it: an async iterator of stdout/stderr chunks as the program writes them, then
// `finished` with the result (or the iterator throws the run's ExecError), plus a writable stdin.
import type { RunResult, StreamEvent } from './types.js';

export interface StdinWriter {
  /** Sends input to the running program (ignored once the run is over). */
  write(data: string | Uint8Array): void;
  /** Signals end of input (the program sees EOF). */
  end(): void;
}

export class RunStream implements AsyncIterable<StreamEvent> {
  /** The run's result; rejects with an ExecError. Settles whether or not the events are iterated. */
  readonly result: Promise<RunResult>;
  readonly stdin: StdinWriter;
  private queue: StreamEvent[] = [];
  private failure: unknown;
  private done = false;
  private wake: (() => void) | undefined;

  constructor(start: (push: (stream: 'stdout' | 'stderr', data: Uint8Array) => void) => Promise<RunResult>, stdin: StdinWriter) {
    this.stdin = stdin;
    this.result = start((stream, data) => this.push({ type: stream, data }));
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
