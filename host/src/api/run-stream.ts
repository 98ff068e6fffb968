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

/**
 * The chunks a run wrote that the consumer has not taken yet, in order, stored compactly: their bytes in one buffer and
 * one signed length per run of same-stream chunks (stdout positive, stderr negative). A consumer that reads slowly
 * (an HTTP client that does not read its answer) then costs about the bytes waiting, which the output cap bounds
 * (engine/output-cap.ts), not an object per write: a program alternating one-byte writes to stdout and stderr queued
 * two objects and two buffers per byte (~250 bytes each), 150 MB of server memory per streamed megabyte (issue 14).
 */
export class ChunkLog {
  private bytes = new Uint8Array(1024);
  private start = 0;
  private end = 0;
  private lengths = new Float64Array(64);
  private head = 0;
  private tail = 0;

  /** Bytes waiting. */
  get size(): number {
    return this.end - this.start;
  }

  push(stream: 'stdout' | 'stderr', data: Uint8Array) {
    if (data.length === 0) return;
    const sign = stream === 'stdout' ? 1 : -1;
    const last = this.tail > this.head ? this.lengths[this.tail - 1]! : 0;
    if (Math.sign(last) === sign) {
      this.lengths[this.tail - 1] = last + sign * data.length;
    } else {
      if (this.tail === this.lengths.length) {
        this.lengths = compacted(this.lengths, this.head, this.tail, 1);
        this.tail -= this.head;
        this.head = 0;
      }
      this.lengths[this.tail++] = sign * data.length;
    }
    if (this.end + data.length > this.bytes.length) {
      this.bytes = compacted(this.bytes, this.start, this.end, data.length);
      this.end -= this.start;
      this.start = 0;
    }
    this.bytes.set(data, this.end);
    this.end += data.length;
  }

  /** The oldest waiting run of same-stream chunks, as one event; undefined if nothing waits. */
  shift(): StreamEvent | undefined {
    if (this.head === this.tail) return undefined;
    const length = this.lengths[this.head++]!;
    const data = this.bytes.slice(this.start, this.start + Math.abs(length));
    this.start += Math.abs(length);
    if (this.head === this.tail) {
      // Drained: start over, and give back what a burst grew beyond the initial sizes.
      this.head = this.tail = this.start = this.end = 0;
      if (this.bytes.length > 1024) this.bytes = new Uint8Array(1024);
      if (this.lengths.length > 64) this.lengths = new Float64Array(64);
    }
    return { type: length > 0 ? 'stdout' : 'stderr', data };
  }
}

/** The live part [from, to) of `array` at its start, in an array with room for `more` (doubled when that is short). */
function compacted<T extends Uint8Array | Float64Array>(array: T, from: number, to: number, more: number): T {
  const live = to - from;
  if (live + more <= array.length) {
    array.copyWithin(0, from, to);
    return array;
  }
  const grown = new (array.constructor as new (length: number) => T)(Math.max(2 * array.length, live + more));
  grown.set(array.subarray(from, to) as any);
  return grown;
}

export class RunStream implements AsyncIterable<StreamEvent> {
  /** The run's result; rejects with an ExecError. Settles whether or not the events are iterated. */
  readonly result: Promise<RunResult>;
  readonly stdin: StdinWriter;
  private chunks = new ChunkLog();
  private finished: StreamEvent | undefined;
  private failure: unknown;
  private done = false;
  private wake: (() => void) | undefined;

  /** `start` runs the program, calling `push` for each chunk and attaching its sandbox to `stdin` once it runs. */
  constructor(start: (push: StreamChunk, stdin: StdinRelay) => Promise<RunResult>) {
    const stdin = new StdinRelay();
    this.stdin = stdin;
    this.result = start((stream, data) => {
      this.chunks.push(stream, data);
      this.wake?.();
    }, stdin);
    this.result.then(
      (result) => this.finish(() => (this.finished = { type: 'finished', result })),
      (error) => this.finish(() => (this.failure = error)),
    );
  }

  private finish(record: () => void) {
    record();
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    for (;;) {
      const event = this.chunks.shift();
      if (event) {
        yield event;
        continue;
      }
      if (this.done) {
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) yield this.finished;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
