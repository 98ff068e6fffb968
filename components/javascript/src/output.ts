// Captured stdout/stderr of one run: capped (the program keeps running past the cap, its further output dropped and
// one marker appended), and, for streamed runs, forwarded live to the component's own stdio and recorded as events
// (every run's output also goes to its stdio where the host asks for it: EXEC_MIRROR_OUTPUT).
import { getStderr } from 'wasi:cli/stderr@0.2.12';
import { getStdout } from 'wasi:cli/stdout@0.2.12';
import type { ExecEvent } from './contract.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Captured when the component is built, before any program runs (see stdioListener). */
const { apply } = Reflect;
const { subarray } = Uint8Array.prototype;

export type StreamName = 'stdout' | 'stderr';

/** Receives each chunk as it is produced (streamed runs). */
export type ChunkListener = (stream: StreamName, bytes: Uint8Array) => void;

export class OutputSink {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  truncated = false;

  constructor(
    readonly name: StreamName,
    private readonly limit: number,
    private readonly listener?: ChunkListener,
  ) {}

  write(data: string | Uint8Array): void {
    if (this.truncated) return;
    let bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    if (this.size + bytes.length > this.limit) {
      bytes = bytes.subarray(0, this.limit - this.size);
      this.truncated = true;
    }
    if (bytes.length) this.push(bytes.slice());
    if (this.truncated) this.push(encoder.encode(`\n[golem-exec: ${this.name} truncated after ${this.limit} bytes]\n`));
  }

  private push(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.listener?.(this.name, bytes);
  }

  text(): string {
    const all = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) (all.set(chunk, at), (at += chunk.length));
    return decoder.decode(all);
  }
}

/**
 * A listener that writes each chunk to the component's own wasi:cli stdout/stderr as it comes: a host watching those
 * sees a streamed run's output live, and keeps what any run printed if it stops the run (EXEC_MIRROR_OUTPUT).
 */
export function stdioListener(): ChunkListener {
  const stdout = getStdout();
  const stderr = getStderr();
  return (stream, bytes) => {
    try {
      const out = stream === 'stdout' ? stdout : stderr;
      // wasi:io allows at most 4096 bytes per blocking-write-and-flush. The engine's own subarray: a program that
      // replaced Uint8Array.prototype.subarray would otherwise have each slice be the whole chunk again.
      for (let at = 0; at < bytes.length; at += 4096) out.blockingWriteAndFlush(apply(subarray, bytes, [at, at + 4096]));
    } catch {
      // A host that closed its end of stdio still gets the output in the result (or, streamed, as events).
    }
  };
}

/** A listener for streamed runs: writes each chunk to the component's stdio (stdioListener) and records it as an event. */
export function liveListener(events: ExecEvent[]): ChunkListener {
  const toStdio = stdioListener();
  return (stream, bytes) => {
    events.push({ tag: stream === 'stdout' ? 'stdout-chunk' : 'stderr-chunk', val: bytes });
    toStdio(stream, bytes);
  };
}
