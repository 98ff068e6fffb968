// The output cap, enforced where the bytes leave the guest: the stdout/stderr of a result (a stage-result wherever a
// WIT value carries one) and the live chunks of a streamed run. The guests cap their own capture too, but a program
// can raise that cap from inside or write around it (`os.write(1, ...)`); nothing it does reaches past these.

export type StreamName = 'stdout' | 'stderr';

/** The line both guests and the host append once when a stream (or an error message) is cut. */
export function truncationMarker(stream: StreamName | 'message' | 'value', limit: number): string {
  return `\n[golem-exec: ${stream} truncated after ${limit} bytes]\n`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` cut to at most `limit` UTF-8 bytes (at a character boundary) plus the marker; unchanged if within it. */
export function capText(text: string, stream: StreamName | 'message' | 'value', limit: number): string {
  // A UTF-8 encoding has at least one byte per UTF-16 unit and at most three: most texts need no encoding.
  if (text.length <= limit / 3) return text;
  const marker = truncationMarker(stream, limit);
  const bytes = encoder.encode(text);
  if (bytes.length <= limit) return text;
  // The guest cut it already: its content is within the limit and the marker follows it.
  if (text.endsWith(marker) && bytes.length <= limit + encoder.encode(marker).length) return text;
  const kept = new Uint8Array(limit);
  const { written } = encoder.encodeInto(text, kept);
  return decoder.decode(kept.subarray(0, written)) + marker;
}

interface StageLike {
  stdout: string;
  stderr: string;
}

function isStage(value: unknown): value is StageLike {
  return typeof value === 'object' && value !== null && typeof (value as StageLike).stdout === 'string' && typeof (value as StageLike).stderr === 'string';
}

function capStage(stage: StageLike, limit: number): void {
  stage.stdout = capText(stage.stdout, 'stdout', limit);
  stage.stderr = capText(stage.stderr, 'stderr', limit);
}

/**
 * Caps every stage-result and error message in a WIT value in place: an exec-result (`compile`, `run`), an error's
 * payload (`compilation-failed` / `runtime-failed` stages, an `internal` message, which a program can choose), a
 * stream's terminal event (`finished` / `failed`), an eval-result (its output and the value it shows, which a program
 * can make as long as it likes).
 */
export function capStages(value: unknown, limit: number): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as { tag?: unknown; compile?: unknown; run?: unknown; val?: unknown; value?: unknown };
  if (isStage(record)) {
    capStage(record, limit);
    if (typeof record.value === 'string') record.value = capText(record.value, 'value', limit);
    return;
  }
  if (isStage(record.run)) capStage(record.run, limit);
  if (isStage(record.compile)) capStage(record.compile, limit);
  if (isStage(record.val)) capStage(record.val, limit);
  else if (typeof record.val === 'string' && record.tag === 'internal') record.val = capText(record.val, 'message', limit);
  else if (record.val !== undefined) capStages(record.val, limit);
}

/** Counts one run's live bytes per stream; past the limit, the rest is dropped after one marker. */
export class LiveCap {
  private readonly sent = { stdout: 0, stderr: 0 };
  private readonly cut = { stdout: false, stderr: false };
  constructor(private readonly limit: number) {}

  /** What of `data` may still go out on `stream` (possibly nothing, possibly ending in the marker). */
  admit(stream: StreamName, data: Uint8Array): Uint8Array | undefined {
    if (this.cut[stream]) return undefined;
    const room = this.limit - this.sent[stream];
    if (data.length <= room) {
      this.sent[stream] += data.length;
      return data;
    }
    this.cut[stream] = true;
    const marker = encoder.encode(truncationMarker(stream, this.limit));
    const out = new Uint8Array(room + marker.length);
    out.set(data.subarray(0, room));
    out.set(marker, room);
    this.sent[stream] = this.limit;
    return out;
  }
}
