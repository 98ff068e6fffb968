// The queue of a streamed run's chunks the consumer has not taken yet (api/run-stream.ts ChunkLog): order kept, runs of
// one stream merged, the bytes and their order intact through growth and compaction.
import { describe, expect, it } from 'vitest';
import { ChunkLog } from '../../../build/host/api/run-stream.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const drain = (log: ChunkLog) => {
  const out: string[] = [];
  for (let event; (event = log.shift()); ) out.push(`${event.type}:${new TextDecoder().decode((event as any).data)}`);
  return out;
};

describe('ChunkLog', () => {
  it('keeps the order of the two streams and merges consecutive chunks of one stream', () => {
    const log = new ChunkLog();
    log.push('stdout', bytes('a'));
    log.push('stdout', bytes('b'));
    log.push('stderr', bytes('E'));
    log.push('stdout', bytes(''));
    log.push('stdout', bytes('c'));
    expect(log.size).toBe(4);
    expect(drain(log)).toEqual(['stdout:ab', 'stderr:E', 'stdout:c']);
    expect(log.size).toBe(0);
  });

  it('a million alternating one-byte writes cost about their bytes, and come out whole and in order', () => {
    const log = new ChunkLog();
    const x = bytes('x');
    const y = bytes('y');
    const before = process.memoryUsage();
    for (let i = 0; i < 500_000; i++) {
      log.push('stdout', x);
      log.push('stderr', y);
    }
    const after = process.memoryUsage();
    // 1 MB of bytes and 1M lengths (8 bytes each, doubled by growth): far below an object per write (~250 MB).
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(40 * 2 ** 20);
    expect(log.size).toBe(1_000_000);
    let count = 0;
    let misordered = 0;
    for (let event; (event = log.shift()); count++) if (event.type !== (count % 2 ? 'stderr' : 'stdout')) misordered++;
    expect(count).toBe(1_000_000);
    expect(misordered).toBe(0);
  });

  it('interleaved pushes and shifts (a consumer keeping up) compact without losing bytes', () => {
    const log = new ChunkLog();
    let sent = '';
    let received = '';
    for (let i = 0; i < 5000; i++) {
      const text = `${i},`.repeat((i % 7) + 1);
      sent += text;
      log.push(i % 3 ? 'stdout' : 'stderr', bytes(text));
      if (i % 4 === 0) for (const line of drain(log)) received += line.slice(7);
      else if (i % 5 === 0) received += new TextDecoder().decode((log.shift() as any).data);
    }
    for (const line of drain(log)) received += line.slice(7);
    expect(received).toBe(sent);
  });
});
