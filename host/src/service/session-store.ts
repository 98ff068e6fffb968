// Durable sessions. Each session is a directory under `<data-dir>/sessions/<id>/`: `files/` is the session's sandbox
// directory (the guest writes there directly, so every completed upload or run is on disk), `meta.json` says which
// language it runs, which token owns it and when it was last used. The metadata is replaced atomically (write a temp
// file, rename), so a SIGKILL leaves either the old or the new file. After a restart the sessions are loaded from
// disk and each gets a sandbox again on its next request (Executor.session adopts the directory's files).
//
// Requests to one session run in arrival order (a promise chain per session); each holds an admission slot while it
// runs, so sessions run in parallel up to the slot count. Sandboxes are the expensive part (a worker thread and an
// instance each): at most `maxLiveSessions` are kept, the least recently used idle one is detached (its files stay)
// when another is needed. Sessions unused for `idleTimeoutMs` are deleted.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LANGUAGES, type Executor, type Language, type Session } from '../index.js';
import type { Admission, Reservation } from './admission.js';
import type { Owner } from './auth.js';
import { HttpError, notFound } from './results.js';

export interface SessionMeta {
  id: string;
  language: Language;
  owner: Owner;
  createdAt: string;
  lastUsedAt: string;
}

export interface StoreOptions {
  dataDir: string;
  /** Delete sessions unused for this long (0: never). */
  idleTimeoutMs: number;
  maxSessions: number;
  maxLiveSessions: number;
}

const ID = /^[0-9a-f]{32}$/;

class Entry {
  live: Session | undefined;
  /** A detach in progress (eviction); the next use waits for it before adopting the files again. */
  detaching: Promise<void> | undefined;
  /** Requests admitted for this session and not finished. */
  pending = 0;
  chain: Promise<unknown> = Promise.resolve();
  deleted = false;
  lastUsed: number;

  constructor(readonly meta: SessionMeta, readonly root: string) {
    this.lastUsed = Date.parse(meta.lastUsedAt) || Date.now();
  }

  get filesDir() {
    return join(this.root, 'files');
  }
}

export class SessionStore {
  private readonly entries = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly exec: Executor, private readonly admission: Admission, private readonly options: StoreOptions) {}

  private get sessionsDir() {
    return join(this.options.dataDir, 'sessions');
  }

  /** Loads the sessions a previous run of the service left in the data directory, and starts the idle sweeper. */
  async load(): Promise<void> {
    await mkdir(this.sessionsDir, { recursive: true });
    for (const id of await readdir(this.sessionsDir)) {
      if (!ID.test(id)) continue;
      const root = join(this.sessionsDir, id);
      let meta: SessionMeta;
      try {
        meta = JSON.parse(await readFile(join(root, 'meta.json'), 'utf8'));
      } catch {
        // Killed between creating the directory and writing its metadata: the id was never given to anyone.
        await rm(root, { recursive: true, force: true });
        continue;
      }
      if (meta.id !== id || !LANGUAGES.includes(meta.language)) continue;
      this.entries.set(id, new Entry(meta, root));
    }
    await this.sweep();
    if (this.options.idleTimeoutMs > 0) {
      const every = Math.min(60_000, Math.max(1000, Math.floor(this.options.idleTimeoutMs / 4)));
      this.sweeper = setInterval(() => void this.sweep(), every).unref();
    }
  }

  async create(language: Language, owner: Owner): Promise<SessionMeta> {
    if (this.entries.size >= this.options.maxSessions) {
      throw new HttpError(503, 'too-many-sessions', `the server holds its maximum of ${this.options.maxSessions} sessions; delete one or retry later`,
        { 'retry-after': '60' });
    }
    const id = randomBytes(16).toString('hex');
    const root = join(this.sessionsDir, id);
    await mkdir(join(root, 'files'), { recursive: true });
    const now = new Date().toISOString();
    const meta: SessionMeta = { id, language, owner, createdAt: now, lastUsedAt: now };
    await writeMeta(root, meta);
    const entry = new Entry(meta, root);
    this.entries.set(id, entry);
    // Start its sandbox now if there is room, so the first request finds it warm; otherwise the first request does.
    let reservation: Reservation | undefined;
    try {
      reservation = this.admission.reserve();
    } catch {}
    if (reservation) this.enqueue(entry, reservation, async () => undefined).catch(() => undefined);
    return meta;
  }

  /** The session `id` as `owner` sees it, or a 404 (unknown, deleted, or another token's). */
  get(id: string, owner: Owner): Entry {
    const entry = ID.test(id) ? this.entries.get(id) : undefined;
    if (!entry || entry.deleted || entry.meta.owner !== owner) throw notFound(`no session '${id}'`);
    return entry;
  }

  /** The sessions `owner` created (and has not deleted), oldest first. */
  list(owner: Owner): SessionMeta[] {
    return [...this.entries.values()].filter((entry) => !entry.deleted && entry.meta.owner === owner).map((entry) => entry.meta)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Runs `fn` on the session's sandbox after every earlier request to it, in an admission slot (or throws the 503). */
  use<T>(entry: Entry, fn: (session: Session) => Promise<T>): Promise<T> {
    return this.enqueue(entry, this.admission.reserve(), fn);
  }

  /** Deletes the session and its files, after the requests that arrived before this one. */
  async delete(entry: Entry): Promise<void> {
    entry.deleted = true;
    entry.pending++;
    const done = entry.chain.then(async () => {
      await entry.detaching;
      const live = entry.live;
      entry.live = undefined;
      await live?.close().catch(() => undefined);
      await rm(entry.root, { recursive: true, force: true });
      this.entries.delete(entry.meta.id);
    });
    entry.chain = done.catch(() => undefined).finally(() => entry.pending--);
    await done;
  }

  stats() {
    let live = 0;
    for (const entry of this.entries.values()) if (entry.live) live++;
    return { sessions: this.entries.size, liveSandboxes: live, maxSessions: this.options.maxSessions, maxLiveSessions: this.options.maxLiveSessions };
  }

  /** Stops every sandbox and keeps every session's files (a shutdown). */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all([...this.entries.values()].map(async (entry) => {
      await entry.chain;
      await entry.detaching;
      const live = entry.live;
      entry.live = undefined;
      await live?.detach();
    }));
  }

  private enqueue<T>(entry: Entry, reservation: Reservation, fn: (session: Session) => Promise<T>): Promise<T> {
    entry.pending++;
    const next = entry.chain.then(() => reservation.run(async () => {
      try {
        return await fn(await this.sandbox(entry));
      } finally {
        entry.lastUsed = Date.now();
        if (!entry.deleted) await this.touch(entry);
      }
    }));
    entry.chain = next.catch(() => undefined).finally(() => entry.pending--);
    return next;
  }

  /** The session's live sandbox, started (adopting its files) if it has none. Runs inside the session's chain. */
  private async sandbox(entry: Entry): Promise<Session> {
    if (entry.live) return entry.live;
    await entry.detaching;
    await this.evictForOneMore(entry);
    entry.live = await this.exec.session({ language: entry.meta.language, directory: entry.filesDir });
    return entry.live;
  }

  /** Detaches least recently used idle sandboxes until one more fits under `maxLiveSessions`. */
  private async evictForOneMore(except: Entry) {
    const live = [...this.entries.values()].filter((entry) => entry.live);
    const idle = live.filter((entry) => entry !== except && entry.pending === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    const excess = live.length + 1 - this.options.maxLiveSessions;
    await Promise.all(idle.slice(0, Math.max(0, excess)).map((entry) => {
      const session = entry.live!;
      entry.live = undefined; // synchronously, so a request arriving meanwhile waits for `detaching` and re-adopts
      entry.detaching = session.detach().finally(() => (entry.detaching = undefined));
      return entry.detaching;
    }));
  }

  private async touch(entry: Entry) {
    entry.meta.lastUsedAt = new Date(entry.lastUsed).toISOString();
    await writeMeta(entry.root, entry.meta).catch(() => undefined);
  }

  /** Deletes sessions idle for longer than the timeout. */
  async sweep(): Promise<void> {
    if (this.options.idleTimeoutMs <= 0) return;
    const cutoff = Date.now() - this.options.idleTimeoutMs;
    const expired = [...this.entries.values()].filter((entry) => !entry.deleted && entry.pending === 0 && entry.lastUsed < cutoff);
    await Promise.all(expired.map((entry) => this.delete(entry).catch(() => undefined)));
  }
}

/** Replaces `meta.json` atomically: a reader (or a restart after SIGKILL) sees the old or the new file, never a part. */
async function writeMeta(root: string, meta: SessionMeta) {
  const temp = join(root, `.meta-${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(meta) + '\n');
  await rename(temp, join(root, 'meta.json'));
}
