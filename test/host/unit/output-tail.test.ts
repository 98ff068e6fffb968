// host/src/engine/output-tail.ts: what a call printed, kept in shared memory a terminated worker cannot take with it:
// per stream, capped with the one marker, emptied for each call, read without a character cut in half.
import { describe, expect, it } from 'vitest';
import { OutputTailWriter, allocateOutputTail, readOutputTail } from '../../../build/host/engine/output-tail.js';
import { truncationMarker } from '../../../build/host/engine/output-cap.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('output tail', () => {
  it('keeps each stream apart, in order, and empties them for the next call', () => {
    const buffer = allocateOutputTail(100);
    const writer = new OutputTailWriter(buffer);
    writer.start(100);
    writer.append('stdout', utf8('a '));
    writer.append('stderr', utf8('oops\n'));
    writer.append('stdout', utf8('b\n'));
    expect(readOutputTail(buffer)).toEqual({ stdout: 'a b\n', stderr: 'oops\n' });
    writer.start(100);
    expect(readOutputTail(buffer)).toEqual({ stdout: '', stderr: '' });
  });

  it('cuts a stream at the cap with one marker, and keeps nothing after it', () => {
    const buffer = allocateOutputTail(10);
    const writer = new OutputTailWriter(buffer);
    writer.start(10);
    writer.append('stdout', utf8('0123456'));
    writer.append('stdout', utf8('789abc'));
    writer.append('stdout', utf8('more'));
    expect(readOutputTail(buffer).stdout).toBe(`0123456789${truncationMarker('stdout', 10)}`);
  });

  it('never reads half a character (a write cut at the cap, or read while it is written)', () => {
    const buffer = allocateOutputTail(100);
    const writer = new OutputTailWriter(buffer);
    writer.start(100);
    const euro = utf8('€');
    writer.append('stdout', utf8('x'));
    writer.append('stdout', euro.subarray(0, 2));
    expect(readOutputTail(buffer).stdout).toBe('x');
    writer.append('stdout', euro.subarray(2));
    expect(readOutputTail(buffer).stdout).toBe('x€');
  });
});
