// The program's standard input: the bytes a call supplied, or (streamed runs without stdin) the component's own
// wasi:cli stdin, read as the program asks for it.
import { getStdin } from 'wasi:cli/stdin@0.2.12';

export interface StdinSource {
  /** Everything up to end of input (blocks on a live stdin). */
  readAll(): Uint8Array;
  /** The next chunk, `null` at end of input, or `undefined` when nothing is available yet (live stdin only). */
  poll(): Uint8Array | null | undefined;
}

export class BufferedStdin implements StdinSource {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  readAll() {
    const rest = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return rest;
  }
  poll() {
    if (this.offset >= this.bytes.length) return null;
    return this.readAll();
  }
}

const CHUNK = 65536n;

export class LiveStdin implements StdinSource {
  private readonly stream = getStdin();
  private ended = false;

  readAll() {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (!this.ended) {
      try {
        const chunk = this.stream.blockingRead(CHUNK);
        chunks.push(chunk);
        total += chunk.length;
      } catch {
        this.ended = true; // closed
      }
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) (all.set(chunk, at), (at += chunk.length));
    return all;
  }

  poll() {
    if (this.ended) return null;
    try {
      const chunk = this.stream.read(CHUNK);
      return chunk.length ? chunk : undefined;
    } catch {
      this.ended = true;
      return null;
    }
  }
}
