// Pristine state for every run, in the sandbox thread. Everything a run can change in a component instance is
// recorded once, after the warm-up, and put back after every run:
// - wasm side: each core instance's linear memory, mutable globals and tables (exported for this under reserved names
//   at load time: wasm/state-exports.ts);
// - JS side: the jco glue's handle tables and the host objects it lent the guest ("capture tables", registered with
//   us by the glue: scripts/transpile.mjs). A handle a run opened (a file, a directory stream) is closed and forgotten,
//   so no later run can reach it by guessing its number.
// Nothing the guest does can keep state past this; the guests skip their own rollback of a run under this host
// (EXEC_HOST_ISOLATION=1). Tables are left out when no core module can change one (scripts/table-facts.mjs).
//
// What cannot be put back makes `restore` answer false, and the owner replaces the instance instead: a table that
// grew, a host object of the snapshot that the run dropped, memory that grew by more than MAX_KEPT_GROWTH.
import { STATE_EXPORT_PREFIX } from './wasm/state-exports.js';

/** Memory a run grew beyond the snapshot is zeroed and kept up to this much; past it the instance is replaced. */
const MAX_KEPT_GROWTH = 16 * 2 ** 20;

type HandleTable = number[] & { _createdReps?: Set<number> };

/** What the transpiled glue registers (scripts/transpile.mjs): passed to it as `imports['golem-exec:glue']`. */
export interface GlueTables {
  handleTables: HandleTable[];
  captureTables: Map<number, unknown>[];
  /** Where the glue registers the wrappers of guest resources, to drop them in the guest when collected. */
  finalizationRegistries: FinalizationRegistry<unknown>[];
}

interface Snapshot {
  memories: { memory: WebAssembly.Memory; bytes: Uint8Array }[];
  globals: { global: WebAssembly.Global; value: unknown }[];
  tables: { table: WebAssembly.Table; entries: unknown[] }[];
  handleTables: { table: HandleTable; entries: number[]; createdReps: Set<number> | undefined }[];
  captureTables: { table: Map<number, unknown>; entries: Map<number, unknown> }[];
}

export class InstanceState {
  /** Handed to the glue; it fills in its tables during `instantiate`. */
  readonly glue: GlueTables = { handleTables: [], captureTables: [], finalizationRegistries: [] };
  private readonly instances: WebAssembly.Instance[] = [];
  private snapshot: Snapshot | undefined;

  /** Call with every core instance of the component as it is created. */
  track(instance: WebAssembly.Instance): void {
    this.instances.push(instance);
  }

  /**
   * Whether the glue registered its tables (a glue transpiled without scripts/transpile.mjs's patch does not). That
   * every module exported its state is the worker's to check (WorkerInit.stateExported).
   */
  get resettable(): boolean {
    return this.glue.handleTables.length > 0;
  }

  /**
   * Forgets the wrapper of a guest resource a run created, without running guest code (the reset discards the
   * resource with the rest of the run's state): its finalizer must never drop a handle number in the restored instance.
   */
  forget(wrapper: object): void {
    for (const registry of this.glue.finalizationRegistries) registry.unregister(wrapper);
  }

  /** Records the state every later `restore` returns to. */
  record(): void {
    const exported = this.instances.flatMap((instance) => Object.entries(instance.exports));
    const memories = new Set<WebAssembly.Memory>();
    const globals: Snapshot['globals'] = [];
    const tables: Snapshot['tables'] = [];
    for (const [name, value] of exported) {
      if (value instanceof WebAssembly.Memory) memories.add(value);
      if (!name.startsWith(STATE_EXPORT_PREFIX)) continue;
      if (value instanceof WebAssembly.Global) globals.push({ global: value, value: value.value });
      if (value instanceof WebAssembly.Table) tables.push({ table: value, entries: entriesOf(value) });
    }
    this.snapshot = {
      memories: [...memories].map((memory) => ({ memory, bytes: new Uint8Array(memory.buffer).slice() })),
      globals,
      tables,
      handleTables: this.glue.handleTables.map((table) => ({
        table, entries: [...table], createdReps: table._createdReps && new Set(table._createdReps),
      })),
      captureTables: this.glue.captureTables.map((table) => ({ table, entries: new Map(table) })),
    };
  }

  /** Puts the recorded state back; false if it cannot be (the caller replaces the instance). */
  restore(): boolean {
    const snapshot = this.snapshot;
    if (!snapshot || !this.resettable) return false;
    if (!this.releaseLentObjects(snapshot)) return false;
    for (const { memory, bytes } of snapshot.memories) {
      if (memory.buffer.byteLength - bytes.length > MAX_KEPT_GROWTH) return false;
    }
    for (const { table, entries } of snapshot.tables) if (table.length !== entries.length) return false;
    for (const { table, entries, createdReps } of snapshot.handleTables) {
      table.length = 0;
      for (const entry of entries) table.push(entry);
      if (createdReps) {
        table._createdReps!.clear();
        for (const rep of createdReps) table._createdReps!.add(rep);
      }
    }
    for (const { memory, bytes } of snapshot.memories) {
      // What the run grew stays allocated (wasm memory cannot shrink) but holds nothing of the run: zeroed. The
      // restored allocator does not know it and grows past it when it needs more.
      const view = new Uint8Array(memory.buffer);
      view.set(bytes);
      if (view.length > bytes.length) view.fill(0, bytes.length);
    }
    for (const { global, value } of snapshot.globals) if (global.value !== value) global.value = value;
    for (const { table, entries } of snapshot.tables) {
      for (let i = 0; i < entries.length; i++) if (table.get(i) !== entries[i]) table.set(i, entries[i]);
    }
    return true;
  }

  /**
   * Closes the host objects the run was lent (open files, streams) and forgets them; false if the run dropped one
   * the snapshot holds (its host object is disposed: the snapshot's handle would point at nothing).
   */
  private releaseLentObjects(snapshot: Snapshot): boolean {
    let intact = true;
    for (const { table, entries } of snapshot.captureTables) {
      for (const [rep, object] of table) {
        if (entries.get(rep) === object) continue;
        (object as { [Symbol.dispose]?: () => void })[Symbol.dispose]?.();
        table.delete(rep);
      }
      for (const [rep, object] of entries) {
        if (table.get(rep) !== object) intact = false;
      }
    }
    return intact;
  }
}

function entriesOf(table: WebAssembly.Table): unknown[] {
  const entries = new Array<unknown>(table.length);
  for (let i = 0; i < table.length; i++) entries[i] = table.get(i);
  return entries;
}
