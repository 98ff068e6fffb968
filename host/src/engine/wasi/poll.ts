// wasi:io/poll and wasi:clocks/monotonic-clock, served in the calling thread. A pollable is either a clock deadline,
// always ready (files, output streams: their calls complete synchronously), or backed by a source that can wait
// (the sandbox's forwarded stdin). Blocking is a synchronous sleep (Atomics.wait) of this thread: the sandbox worker
// has nothing else to do meanwhile, and the main thread's backstop can still terminate it.
import { hrtime } from 'node:process';

/** Something a pollable can wait for besides the clock. */
export interface WaitSource {
  ready(): boolean;
  /** Waits until ready or `timeoutMs` (Infinity: no limit) has passed. */
  wait(timeoutMs: number): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds. */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

const NS_PER_MS = 1_000_000n;

export class Pollable {
  /** Monotonic-clock instant (ns) at which it becomes ready, for a clock pollable. */
  readonly #deadline: bigint | undefined;
  /** What a non-clock pollable waits for (undefined: always ready). */
  readonly source: WaitSource | undefined;

  /** `deadline`: a clock instant; `source`: a waitable source; neither: always ready. */
  constructor(deadline?: bigint, source?: WaitSource) {
    this.#deadline = deadline;
    this.source = source;
  }

  ready(): boolean {
    if (this.#deadline !== undefined) return hrtime.bigint() >= this.#deadline;
    return this.source ? this.source.ready() : true;
  }

  block(): void {
    poll([this]);
  }

  /** Milliseconds until a clock pollable is ready (0 when it is); Infinity for others. */
  remainingMs(): number {
    if (this.#deadline === undefined) return Infinity;
    const left = this.#deadline - hrtime.bigint();
    return left <= 0n ? 0 : Number(left / NS_PER_MS) + Number(left % NS_PER_MS) / 1e6;
  }
}

/** An always-ready pollable (for streams whose operations never wait). */
export const readyPollable = () => new Pollable();

/** wasi:io/poll.poll: the indices of the ready pollables, waiting until at least one is. */
export function poll(list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new Error('wasi:io/poll.poll: the list of pollables is empty');
  for (;;) {
    const ready: number[] = [];
    list.forEach((pollable, index) => pollable.ready() && ready.push(index));
    if (ready.length > 0) return new Uint32Array(ready);
    const timeoutMs = Math.min(...list.map((pollable) => pollable.remainingMs()));
    const source = list.find((pollable) => pollable.source)?.source;
    if (source) source.wait(timeoutMs);
    else if (Number.isFinite(timeoutMs)) sleepMs(timeoutMs);
    else throw new Error('wasi:io/poll.poll: nothing in the list can become ready');
  }
}

export const monotonicClock = {
  now: (): bigint => hrtime.bigint(),
  resolution: (): bigint => 1n,
  subscribeInstant: (when: bigint): Pollable => new Pollable(BigInt(when)),
  subscribeDuration: (duration: bigint): Pollable => new Pollable(hrtime.bigint() + BigInt(duration)),
};
