// What a call printed so far, kept where it survives the sandbox thread: a SharedArrayBuffer the main thread owns and
// the worker appends every stdout/stderr byte of the current call to (the guests write each run's output to their own
// stdio as produced, EXEC_MIRROR_OUTPUT). When the main thread terminates the worker at the time limit, the guest's
// own capture dies with it; this copy is what the timeout error carries. Capped like the streamed chunks (LiveCap).
import { LiveCap, truncationMarker, type StreamName } from './output-cap.js';

/** Bytes of the header: the used length of each stream's region (Int32, written after the bytes they count). */
const HEADER_BYTES = 8;
const LENGTH_SLOT: Record<StreamName, number> = { stdout: 0, stderr: 1 };

/** Room one stream needs: the cap plus the marker (the same length for both streams). */
function regionBytes(limit: number): number {
  return limit + new TextEncoder().encode(truncationMarker('stdout', limit)).length;
}

/** The shared buffer for a worker whose calls cap output at `limit` bytes per stream (pages are touched only when written). */
export function allocateOutputTail(limit: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + 2 * regionBytes(limit));
}

/** The worker's side: starts each call empty and appends what the guest writes, within the call's cap. */
export class OutputTailWriter {
  private readonly lengths: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly region: number;
  private cap: LiveCap | undefined;

  constructor(buffer: SharedArrayBuffer) {
    this.lengths = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.region = this.bytes.length / 2;
  }

  /** Empties both streams for a new call whose output is capped at `limit` bytes per stream. */
  start(limit: number) {
    Atomics.store(this.lengths, 0, 0);
    Atomics.store(this.lengths, 1, 0);
    this.cap = new LiveCap(limit);
  }

  append(stream: StreamName, data: Uint8Array) {
    const admitted = this.cap?.admit(stream, data);
    if (!admitted) return;
    const slot = LENGTH_SLOT[stream];
    const used = this.lengths[slot]!;
    // A call whose cap exceeds the buffer's (never: a worker's calls share its limit) keeps what fits.
    const room = this.region - used;
    const kept = admitted.length <= room ? admitted : admitted.subarray(0, room);
    this.bytes.set(kept, slot * this.region + used);
    Atomics.store(this.lengths, slot, used + kept.length);
  }
}

/** The main thread's side: what the current (or just stopped) call has printed so far. */
export function readOutputTail(buffer: SharedArrayBuffer): { stdout: string; stderr: string } {
  const lengths = new Int32Array(buffer, 0, 2);
  const bytes = new Uint8Array(buffer, HEADER_BYTES);
  const region = bytes.length / 2;
  const text = (stream: StreamName) => {
    const slot = LENGTH_SLOT[stream];
    const start = slot * region;
    // A copy (TextDecoder refuses shared memory); `stream: true` leaves out a character cut in the middle.
    return new TextDecoder().decode(bytes.slice(start, start + Atomics.load(lengths, slot)), { stream: true });
  };
  return { stdout: text('stdout'), stderr: text('stderr') };
}
