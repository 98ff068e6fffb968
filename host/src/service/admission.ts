// Admission control: at most `slots` sandbox calls run at once (one per core by default) and at most `maxWaiting`
// more wait for a slot. A request beyond that is refused at once (503 + Retry-After) instead of queueing without bound.
import { HttpError } from './results.js';

export class Admission {
  private running = 0;
  /** Requests admitted and not finished (running, waiting for a slot, or queued behind their session). */
  private admitted = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly slots: number, readonly maxWaiting: number) {}

  /** Admits a request now, or throws the 503. The caller must `run` or `release` the reservation. */
  reserve(): Reservation {
    if (this.admitted >= this.slots + this.maxWaiting) {
      const seconds = Math.max(1, Math.ceil(this.admitted / this.slots));
      throw new HttpError(503, 'overloaded', `the server is busy (${this.admitted} requests in progress); retry in ${seconds} s`,
        { 'retry-after': String(seconds) });
    }
    this.admitted++;
    return new Reservation(this);
  }

  stats() {
    return { slots: this.slots, maxWaiting: this.maxWaiting, running: this.running, waiting: this.admitted - this.running };
  }

  /** @internal */
  async acquire(): Promise<void> {
    if (this.running < this.slots) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** @internal */
  releaseSlot() {
    const next = this.waiters.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.running--;
  }

  /** @internal */
  leave() {
    this.admitted--;
  }
}

export class Reservation {
  private finished = false;

  constructor(private readonly admission: Admission) {}

  /** Waits for a slot, runs `fn` in it, then gives the slot and the reservation back. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.admission.acquire();
    try {
      return await fn();
    } finally {
      this.admission.releaseSlot();
      this.release();
    }
  }

  /** Gives the reservation back without running (idempotent). */
  release() {
    if (this.finished) return;
    this.finished = true;
    this.admission.leave();
  }
}
