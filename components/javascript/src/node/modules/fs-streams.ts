// fs.createReadStream / fs.createWriteStream as readable-stream streams over the synchronous fs calls (files are
// in the sandbox's memory or volume; there is no descriptor-level I/O to overlap). Errors such as ENOENT arrive as
// 'error' events, as in Node, where opening the file is asynchronous.
import { Buffer } from 'buffer';
import { Readable, Writable } from './stream.js';

interface SyncFs {
  readFileSync(path: string): unknown;
  writeFileSync(path: string, data: unknown): void;
  appendFileSync(path: string, data: unknown): void;
}

type ReadOptions = { encoding?: BufferEncoding; start?: number; end?: number; highWaterMark?: number; flags?: string };
type WriteOptions = { encoding?: BufferEncoding; flags?: string; flush?: boolean };

const optionsOf = <T extends object>(options: T | string | undefined): T => (typeof options === 'string' ? ({ encoding: options } as T) : (options ?? ({} as T)));

/** Opens a stream as Node's fs streams do: `open()`, then the callback, 'open' (with an fd) and 'ready'; or the error. */
function construct(stream: { pending: boolean }, open: () => void, callback: (error?: Error) => void) {
  // The stream classes' EventEmitter side is untyped here (readable-stream has no types: ./stream.ts).
  const emitter = stream as unknown as { emit(event: string, ...args: unknown[]): boolean };
  try {
    open();
    stream.pending = false;
    callback();
    emitter.emit('open', 3);
    emitter.emit('ready');
  } catch (error) {
    callback(error as Error);
  }
}

export function createFsStreams(fs: SyncFs) {
  class ReadStream extends Readable {
    bytesRead = 0;
    pending = true;
    private data: Buffer | undefined;
    private position: number;
    private readonly end: number;
    constructor(readonly path: string, options?: ReadOptions | string) {
      const { encoding, start = 0, end = Infinity, highWaterMark = 64 * 1024 } = optionsOf<ReadOptions>(options);
      super({ encoding, highWaterMark });
      this.position = start;
      this.end = end;
    }
    _construct(callback: (error?: Error) => void) {
      construct(this, () => {
        const bytes = fs.readFileSync(this.path) as Uint8Array;
        this.data = Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
      }, callback);
    }
    _read() {
      // Node's ReadStream reads highWaterMark bytes at a time, whatever size the consumer asked for.
      const stop = Math.min(this.data!.length, this.end + 1, this.position + this.readableHighWaterMark);
      if (this.position >= stop) {
        this.push(null);
        return;
      }
      const chunk = this.data!.subarray(this.position, stop);
      this.position = stop;
      this.bytesRead += chunk.length;
      // A later job, as Node's asynchronous reads are: each chunk reaches the consumer on its own.
      queueMicrotask(() => this.push(chunk));
    }
  }

  class WriteStream extends Writable {
    bytesWritten = 0;
    pending = true;
    constructor(readonly path: string, private readonly options: WriteOptions = {}) {
      super({ decodeStrings: true, defaultEncoding: options.encoding ?? 'utf8' });
    }
    _construct(callback: (error?: Error) => void) {
      construct(this, () => {
        if (!(this.options.flags ?? 'w').startsWith('a')) fs.writeFileSync(this.path, new Uint8Array(0));
        else fs.appendFileSync(this.path, new Uint8Array(0));
      }, callback);
    }
    _write(chunk: Buffer, _encoding: string, callback: (error?: Error) => void) {
      try {
        fs.appendFileSync(this.path, chunk);
        this.bytesWritten += chunk.length;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    }
    close(callback?: (error?: Error) => void) {
      if (callback) this.once('close', () => callback());
      this.end();
    }
  }

  return {
    ReadStream,
    WriteStream,
    createReadStream: (path: string, options?: ReadOptions | string) => new ReadStream(String(path), options),
    createWriteStream: (path: string, options?: WriteOptions | string) => new WriteStream(String(path), optionsOf<WriteOptions>(options)),
  };
}
