// node:readline over the run's stdin: 'line' / 'close' events, async iteration of lines, question().
import { EventEmitter } from 'events';
import type { RunContext } from './context.js';

export function createReadline(ctx: RunContext) {
  function createInterface(options: { input?: EventEmitter & { setEncoding?: (e: string) => void }; output?: { write(s: string): void } } | EventEmitter) {
    const input = ('input' in options ? options.input : options) as EventEmitter & { setEncoding?: (e: string) => void; pause?: () => void };
    const output = 'output' in options ? options.output : undefined;
    const rl = new EventEmitter() as EventEmitter & Record<string | symbol, any>;
    let partial = '';
    let closed = false;
    const questions: ((answer: string) => void)[] = [];
    const emitLine = (line: string) => {
      const ask = questions.shift();
      if (ask) ask(line);
      else rl.emit('line', line);
    };
    const onData = (chunk: string | Uint8Array) => {
      partial += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
      let index: number;
      while ((index = partial.indexOf('\n')) >= 0 && !closed) {
        const line = partial.slice(0, index).replace(/\r$/, '');
        partial = partial.slice(index + 1);
        emitLine(line);
      }
    };
    const onEnd = () => {
      if (partial && !closed) emitLine(partial);
      partial = '';
      rl.close();
    };
    input.setEncoding?.('utf8');
    input.on('data', onData);
    input.on('end', onEnd);
    Object.assign(rl, {
      terminal: false,
      line: '',
      close() {
        if (closed) return;
        closed = true;
        input.off('data', onData);
        input.off('end', onEnd);
        (input as any).destroy?.();
        rl.emit('close');
      },
      question(query: string, optionsOrCallback: unknown, maybeCallback?: (answer: string) => void) {
        const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as (answer: string) => void;
        output?.write(query);
        questions.push((answer) => ctx.invoke(callback, undefined, [answer]));
      },
      setPrompt() {},
      prompt() {},
      write(text: string) {
        output?.write(text);
      },
      pause() {
        return rl;
      },
      resume() {
        return rl;
      },
      [Symbol.asyncIterator]() {
        const queue: string[] = [];
        let waiting: ((result: IteratorResult<string>) => void) | undefined;
        let done = closed;
        rl.on('line', (line: string) => {
          if (waiting) (waiting({ value: line, done: false }), (waiting = undefined));
          else queue.push(line);
        });
        rl.on('close', () => {
          done = true;
          waiting?.({ value: undefined, done: true });
        });
        return {
          next: (): Promise<IteratorResult<string>> =>
            queue.length ? Promise.resolve({ value: queue.shift()!, done: false }) : done ? Promise.resolve({ value: undefined, done: true }) : new Promise((resolve) => (waiting = resolve)),
          return: () => {
            rl.close();
            return Promise.resolve({ value: undefined, done: true });
          },
          [Symbol.asyncIterator]() {
            return this;
          },
        };
      },
    });
    return rl;
  }
  const promises = {
    createInterface: (options: any) => {
      const rl = createInterface(options);
      const question = rl.question;
      rl.question = (query: string) => new Promise((resolve) => question.call(rl, query, resolve));
      return rl;
    },
  };
  return { createInterface, promises, Interface: EventEmitter, emitKeypressEvents: () => {} };
}
