// `perf_hooks`: `performance` with Node's user timing (mark, measure, getEntries*, clear*), kept per run (the engine's
// own `performance` has only now() and timeOrigin), and a minimal PerformanceObserver for marks and measures (no other
// entry types, no histograms: README, Known gaps).
import { nodeError } from './errors.js';

interface Entry {
  name: string;
  entryType: 'mark' | 'measure';
  startTime: number;
  duration: number;
  detail: unknown;
}

class PerformanceEntry implements Entry {
  constructor(
    readonly name: string,
    readonly entryType: 'mark' | 'measure',
    readonly startTime: number,
    readonly duration: number,
    readonly detail: unknown = null,
  ) {}
  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail };
  }
}
class PerformanceMark extends PerformanceEntry {}
class PerformanceMeasure extends PerformanceEntry {}

export function createPerfHooks() {
  const engine = globalThis.performance;
  const entries: Entry[] = [];
  const observers = new Set<PerformanceObserver>();
  const record = <T extends Entry>(entry: T): T => {
    entries.push(entry);
    for (const observer of observers) observer.deliver(entry);
    return entry;
  };
  const timeOf = (mark: unknown, fallback: number): number => {
    if (mark === undefined) return fallback;
    if (typeof mark === 'number') return mark;
    const found = entries.findLast((e) => e.entryType === 'mark' && e.name === mark);
    if (!found) throw nodeError(SyntaxError, 'ERR_INVALID_PERFORMANCE_MARK', `The "${String(mark)}" performance mark has not been set`);
    return found.startTime;
  };
  const byType = (type: string) => entries.filter((e) => e.entryType === type);
  const clear = (type: string, name?: string) => {
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i].entryType === type && (name === undefined || entries[i].name === name)) entries.splice(i, 1);
  };

  const performance = {
    now: () => engine.now(),
    get timeOrigin() {
      return engine.timeOrigin;
    },
    mark: (name: string, options: { startTime?: number; detail?: unknown } = {}) =>
      record(new PerformanceMark(String(name), 'mark', options.startTime ?? engine.now(), 0, options.detail ?? null)),
    measure: (name: string, startOrOptions?: string | { start?: string | number; end?: string | number; duration?: number; detail?: unknown }, endMark?: string) => {
      const options = typeof startOrOptions === 'object' && startOrOptions !== null ? startOrOptions : { start: startOrOptions, end: endMark };
      const end = options.end !== undefined ? timeOf(options.end, 0) : options.duration !== undefined && options.start !== undefined ? timeOf(options.start, 0) + options.duration : engine.now();
      const start = options.start !== undefined ? timeOf(options.start, 0) : options.duration !== undefined ? end - options.duration : 0;
      return record(new PerformanceMeasure(String(name), 'measure', start, end - start, options.detail ?? null));
    },
    getEntries: () => [...entries],
    getEntriesByType: byType,
    getEntriesByName: (name: string, type?: string) => entries.filter((e) => e.name === name && (type === undefined || e.entryType === type)),
    clearMarks: (name?: string) => clear('mark', name),
    clearMeasures: (name?: string) => clear('measure', name),
    timerify: (fn: Function) => fn,
    eventLoopUtilization: () => ({ idle: 0, active: 0, utilization: 0 }),
    toJSON: () => ({ timeOrigin: engine.timeOrigin }),
  };

  class PerformanceObserver {
    static supportedEntryTypes = ['mark', 'measure'];
    private types = new Set<string>();
    private pending: Entry[] = [];
    constructor(private readonly callback: (list: object, observer: PerformanceObserver) => void) {}
    observe(options: { entryTypes?: string[]; type?: string }) {
      this.types = new Set(options.entryTypes ?? (options.type ? [options.type] : []));
      observers.add(this);
    }
    disconnect() {
      observers.delete(this);
    }
    /** Queues an entry; the observer's callback gets everything queued in one list, once the current job is done. */
    deliver(entry: Entry) {
      if (!this.types.has(entry.entryType)) return;
      this.pending.push(entry);
      if (this.pending.length > 1) return;
      queueMicrotask(() => {
        const list = this.pending;
        this.pending = [];
        this.callback(
          {
            getEntries: () => list,
            getEntriesByType: (type: string) => list.filter((e) => e.entryType === type),
            getEntriesByName: (name: string, type?: string) => list.filter((e) => e.name === name && (type === undefined || e.entryType === type)),
          },
          this,
        );
      });
    }
  }

  return { performance, PerformanceObserver, PerformanceEntry, PerformanceMark, PerformanceMeasure, constants: {} };
}
