// host/src/engine/output-cap.ts: results cut at a UTF-8 character boundary with one marker (a guest's own cut left
// as it is), caps applied inside every WIT value that carries output, and the live cap of a streamed run.
import { describe, expect, it } from 'vitest';
import { LiveCap, capStages, capText, truncationMarker } from '../../../build/host/engine/output-cap.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const byteLength = (text: string) => utf8(text).length;

describe('truncationMarker', () => {
  it('names the stream and the limit on a line of its own', () => {
    expect(truncationMarker('stdout', 10)).toBe('\n[golem-exec: stdout truncated after 10 bytes]\n');
    expect(truncationMarker('stderr', 1048576)).toBe('\n[golem-exec: stderr truncated after 1048576 bytes]\n');
    expect(truncationMarker('message', 5)).toBe('\n[golem-exec: message truncated after 5 bytes]\n');
  });
});

describe('capText', () => {
  const marker = truncationMarker('stdout', 10);

  it('returns text within the limit unchanged, also text whose byte length is exactly the limit', () => {
    expect(capText('', 'stdout', 10)).toBe('');
    expect(capText('short', 'stdout', 10)).toBe('short');
    expect(capText('0123456789', 'stdout', 10)).toBe('0123456789');
    // 3 × 3 bytes + 1 = 10 bytes, but only 4 UTF-16 units.
    expect(capText('€€€a', 'stdout', 10)).toBe('€€€a');
    // 2 × 4 bytes + 2 = 10 bytes.
    expect(capText('😀😀ab', 'stdout', 10)).toBe('😀😀ab');
  });

  it('cuts text one byte over the limit to the limit, plus the marker', () => {
    expect(capText('0123456789A', 'stdout', 10)).toBe(`0123456789${marker}`);
    expect(capText('x'.repeat(1000), 'stderr', 10)).toBe(`${'x'.repeat(10)}${truncationMarker('stderr', 10)}`);
  });

  it('never splits a 3-byte character that straddles the limit', () => {
    // 'abcdefgh' is 8 bytes; '€' (e2 82 ac) would take bytes 9-11.
    expect(capText('abcdefgh€', 'stdout', 10)).toBe(`abcdefgh${marker}`);
    expect(capText('abcdefghi€', 'stdout', 10)).toBe(`abcdefghi${marker}`);
    // It fits when it ends exactly at the limit.
    expect(capText('abcdefg€z', 'stdout', 10)).toBe(`abcdefg€${marker}`);
    const cut = capText('€'.repeat(50), 'stdout', 10);
    expect(cut).toBe(`€€€${marker}`);
    expect(cut).not.toContain('\uFFFD');
  });

  it('never splits a 4-byte character (a surrogate pair) that straddles the limit', () => {
    // 'abcdefg' is 7 bytes; '😀' (f0 9f 98 80) would take bytes 8-11.
    for (const prefix of ['abcdefg', 'abcdefgh', 'abcdefghi']) {
      const cut = capText(`${prefix}😀 and more`, 'stdout', 10);
      expect(cut).toBe(`${prefix}${marker}`);
      expect(cut).not.toContain('\uFFFD');
    }
    expect(capText('abcdef😀z', 'stdout', 10)).toBe(`abcdef😀${marker}`);
    // The kept part is always whole characters within the limit.
    for (let limit = 1; limit < 30; limit++) {
      const text = 'a€😀é'.repeat(10);
      const cut = capText(text, 'stdout', limit);
      const kept = cut.slice(0, cut.length - truncationMarker('stdout', limit).length);
      expect(byteLength(kept)).toBeLessThanOrEqual(limit);
      expect(byteLength(kept)).toBeGreaterThan(limit - 4);
      expect(text.startsWith(kept)).toBe(true);
    }
  });

  it('leaves text the guest already cut with its marker as it is', () => {
    const guestCut = `${'x'.repeat(10)}${marker}`;
    expect(capText(guestCut, 'stdout', 10)).toBe(guestCut);
    // Shorter content with the marker (the guest cut at a character boundary).
    const atBoundary = `abcdefgh${marker}`;
    expect(capText(atBoundary, 'stdout', 10)).toBe(atBoundary);
  });

  it('cuts text that only looks cut: content over the limit, another stream\'s marker, another limit\'s marker', () => {
    expect(capText(`${'x'.repeat(11)}${marker}`, 'stdout', 10)).toBe(`${'x'.repeat(10)}${marker}`);
    const stderrMarker = truncationMarker('stderr', 10);
    expect(capText(`${'x'.repeat(10)}${stderrMarker}`, 'stdout', 10)).toBe(`${'x'.repeat(10)}${marker}`);
    const bigger = truncationMarker('stdout', 1000);
    expect(capText(`${'x'.repeat(20)}${bigger}`, 'stdout', 10)).toBe(`${'x'.repeat(10)}${marker}`);
  });
});

describe('capStages', () => {
  const long = 'y'.repeat(50);
  const cut = (stream: 'stdout' | 'stderr' | 'message') => `${'y'.repeat(10)}${truncationMarker(stream, 10)}`;
  const stage = () => ({ stdout: long, stderr: long, exitCode: 3, signal: undefined });

  it('caps both stages of an exec-result and leaves its other fields', () => {
    const result = { compile: stage(), run: stage(), timeMs: 12n, memoryBytes: 4096n };
    capStages(result, 10);
    expect(result).toEqual({
      compile: { stdout: cut('stdout'), stderr: cut('stderr'), exitCode: 3, signal: undefined },
      run: { stdout: cut('stdout'), stderr: cut('stderr'), exitCode: 3, signal: undefined },
      timeMs: 12n,
      memoryBytes: 4096n,
    });
    const withoutCompile = { compile: undefined, run: { stdout: 'ok', stderr: long } };
    capStages(withoutCompile, 10);
    expect(withoutCompile).toEqual({ compile: undefined, run: { stdout: 'ok', stderr: cut('stderr') } });
  });

  it('caps the stage of a compilation-failed / runtime-failed error', () => {
    for (const tag of ['compilation-failed', 'runtime-failed']) {
      const error = { tag, val: stage() };
      capStages(error, 10);
      expect(error.val).toMatchObject({ stdout: cut('stdout'), stderr: cut('stderr'), exitCode: 3 });
    }
  });

  it('caps a stream\'s terminal events: finished (its exec-result) and failed (its error)', () => {
    const finished = { tag: 'finished', val: { compile: undefined, run: stage(), timeMs: undefined } };
    capStages(finished, 10);
    expect(finished.val.run).toMatchObject({ stdout: cut('stdout'), stderr: cut('stderr') });
    const failed = { tag: 'failed', val: { tag: 'runtime-failed', val: stage() } };
    capStages(failed, 10);
    expect(failed.val.val).toMatchObject({ stdout: cut('stdout'), stderr: cut('stderr') });
    const failedInternal = { tag: 'failed', val: { tag: 'internal', val: long } };
    capStages(failedInternal, 10);
    expect(failedInternal.val.val).toBe(cut('message'));
  });

  it('caps an internal error\'s message (a program can choose it), and no other string', () => {
    const internal = { tag: 'internal', val: long };
    capStages(internal, 10);
    expect(internal.val).toBe(cut('message'));
    const other = { tag: 'something-else', val: long };
    capStages(other, 10);
    expect(other.val).toBe(long);
  });

  it('leaves values with nothing to cap alone', () => {
    for (const value of [undefined, null, 5, 'text', { tag: 'timeout' }, { tag: 'resource-exceeded', val: undefined }]) {
      expect(() => capStages(value, 10)).not.toThrow();
    }
    const small = { compile: undefined, run: { stdout: 'a', stderr: 'b', exitCode: 0 } };
    capStages(small, 10);
    expect(small).toEqual({ compile: undefined, run: { stdout: 'a', stderr: 'b', exitCode: 0 } });
  });
});

describe('LiveCap', () => {
  const concat = (chunks: (Uint8Array | undefined)[]) => Buffer.concat(chunks.filter((c): c is Uint8Array => c !== undefined)).toString('latin1');
  const marker = (stream: 'stdout' | 'stderr', limit: number) => truncationMarker(stream, limit);

  it('lets many small chunks through up to the limit, then cuts the one that crosses it and drops the rest', () => {
    const cap = new LiveCap(10);
    const out: (Uint8Array | undefined)[] = [];
    for (let i = 0; i < 10; i++) out.push(cap.admit('stdout', utf8(`${i}${i}${i}`)));
    expect(out.slice(0, 3).map((c) => Buffer.from(c!).toString())).toEqual(['000', '111', '222']);
    expect(Buffer.from(out[3]!).toString()).toBe(`3${marker('stdout', 10)}`);
    expect(out.slice(4)).toEqual(Array(6).fill(undefined));
    expect(concat(out)).toBe(`0001112223${marker('stdout', 10)}`);
  });

  it('passes a chunk within the room as the same bytes, without copying', () => {
    const cap = new LiveCap(10);
    const chunk = utf8('hello');
    expect(cap.admit('stdout', chunk)).toBe(chunk);
  });

  it('cuts one big chunk at the limit', () => {
    const cap = new LiveCap(10);
    const first = cap.admit('stderr', new Uint8Array(1000).fill(0x7a));
    expect(Buffer.from(first!).toString()).toBe(`${'z'.repeat(10)}${marker('stderr', 10)}`);
    expect(cap.admit('stderr', utf8('more'))).toBeUndefined();
  });

  it('sends a chunk that ends exactly at the limit whole, and only the marker for the next byte', () => {
    const cap = new LiveCap(10);
    expect(Buffer.from(cap.admit('stdout', utf8('0123456789'))!).toString()).toBe('0123456789');
    expect(Buffer.from(cap.admit('stdout', utf8('!'))!).toString()).toBe(marker('stdout', 10));
    expect(cap.admit('stdout', utf8('!'))).toBeUndefined();
    expect(cap.admit('stdout', new Uint8Array(0))).toBeUndefined();
  });

  it('writes the marker exactly once per stream, and counts each stream on its own', () => {
    const cap = new LiveCap(4);
    const stdout: (Uint8Array | undefined)[] = [];
    const stderr: (Uint8Array | undefined)[] = [];
    for (let i = 0; i < 20; i++) {
      stdout.push(cap.admit('stdout', utf8('ab')));
      if (i % 5 === 0) stderr.push(cap.admit('stderr', utf8('c')));
    }
    expect(concat(stdout)).toBe(`abab${marker('stdout', 4)}`);
    expect(concat(stdout).split('truncated').length - 1).toBe(1);
    // stderr had 4 one-byte chunks: exactly its limit, never cut.
    expect(concat(stderr)).toBe('cccc');
    expect(Buffer.from(cap.admit('stderr', utf8('d'))!).toString()).toBe(marker('stderr', 4));
    expect(cap.admit('stderr', utf8('d'))).toBeUndefined();
  });

  it('gives every run its own count (a new LiveCap)', () => {
    const first = new LiveCap(3);
    first.admit('stdout', utf8('abcdef'));
    expect(first.admit('stdout', utf8('x'))).toBeUndefined();
    const second = new LiveCap(3);
    expect(Buffer.from(second.admit('stdout', utf8('abc'))!).toString()).toBe('abc');
  });
});
