// Writes a streamed run to an HTTP response as NDJSON (default) or Server-Sent Events (`Accept: text/event-stream`).
// Every event is one JSON object: {type:'stdout'|'stderr', data} while the program runs, then {type:'result', ...}
// (or {type:'error', error} if the sandbox itself failed after the answer had started).
import type { ServerResponse } from 'node:http';
import type { RunStream, StreamEvent } from '../index.js';
import { HttpError, okResponse, runOutcome, type RunResponse } from './results.js';

export type StreamFormat = 'ndjson' | 'sse';

export function streamFormat(accept: string | undefined): StreamFormat {
  return /\btext\/event-stream\b/i.test(accept ?? '') ? 'sse' : 'ndjson';
}

type Outgoing = { type: 'stdout' | 'stderr'; data: string } | ({ type: 'result' } & RunResponse) | { type: 'error'; error: { code: string; message: string } };

/**
 * Streams `run` into `res`. The answer starts with the run's first event, so input the sandbox rejects before the
 * program starts (a bad path) is still a plain 400 — which this throws, with nothing written.
 */
export async function pipeRun(run: RunStream, res: ServerResponse, format: StreamFormat, beforeStart: () => void = () => undefined): Promise<void> {
  const events = run[Symbol.asyncIterator]();
  let first: IteratorResult<StreamEvent> | RunResponse;
  try {
    first = await events.next();
  } catch (error) {
    first = runOutcome(error); // throws the HttpError for bad input or a failed sandbox
  }

  beforeStart();
  res.writeHead(200, {
    'content-type': format === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no', // proxies such as nginx would otherwise buffer the stream
  });
  let open = true;
  res.on('close', () => (open = false));
  const send = async (event: Outgoing) => {
    if (!open) return; // the client left: the run is being cancelled (server.ts cancelOnDisconnect)
    const line = JSON.stringify(event);
    const ok = res.write(format === 'sse' ? `event: ${event.type}\ndata: ${line}\n\n` : `${line}\n`);
    if (!ok) await drainedOrClosed(res);
  };

  // Chunks are bytes; a UTF-8 character can straddle two of them, so each stream has its own streaming decoder.
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const flush = async () => {
    for (const type of ['stdout', 'stderr'] as const) {
      const rest = decoders[type].decode();
      if (rest) await send({ type, data: rest });
    }
  };
  const handle = async (event: StreamEvent) => {
    if (event.type === 'finished') {
      await flush();
      await send({ type: 'result', ...okResponse(event.result) });
      return;
    }
    const data = decoders[event.type].decode(event.data, { stream: true });
    if (data) await send({ type: event.type, data });
  };

  try {
    if ('ok' in first) {
      await send({ type: 'result', ...first });
    } else if (!first.done) {
      await handle(first.value);
      for (;;) {
        let next: IteratorResult<StreamEvent>;
        try {
          next = await events.next();
        } catch (error) {
          await flush();
          try {
            await send({ type: 'result', ...runOutcome(error) });
          } catch (failure) {
            const known = failure instanceof HttpError ? failure : new HttpError(500, 'internal', String((failure as Error)?.message ?? failure));
            await send({ type: 'error', error: { code: known.code, message: known.message } });
          }
          break;
        }
        if (next.done) break;
        await handle(next.value);
      }
    }
  } finally {
    if (open) res.end();
  }
}

/**
 * Resolves when `res` can take more, or is closed; whichever comes first removes the other's listener (left in place,
 * every wait of a slow client's answer added a `close` listener that lived as long as the answer).
 */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
