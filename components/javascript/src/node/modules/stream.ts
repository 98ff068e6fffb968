// `stream` and `stream/promises`: readable-stream 4, which is Node's own lib/internal/streams published on its own
// (Readable.from, pipeline, finished, operators, async iteration, object mode).
import Stream from 'readable-stream/lib/stream.js';

/** `require('stream')` is the legacy Stream constructor carrying the classes, as in Node. */
export const stream = Stream as Record<string, any> & Function;

/** The classes the other builtins (crypto, zlib, fs streams) build on. */
export const { Readable, Writable, Transform } = stream;

export const streamPromises = () => ({ pipeline: stream.promises.pipeline, finished: stream.promises.finished });
