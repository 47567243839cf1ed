/**
 * The lab file: one SQLite database (better-sqlite3) holding every device's flash and the lab's own settings.
 *
 * Crash guarantee: every write is a SQLite transaction in WAL mode, so a kill at any moment leaves the file as it was
 * after the last committed transaction. Writes are coalesced: changes made during one turn of the event loop are
 * committed together in one transaction on the next turn, which keeps per-event I/O off hot paths (a rehearsal that
 * reboots 254 bases at once writes once, not 254 times).
 *
 * Durability: what a person was told is saved must be in the file before they are told. Every HTTP request that
 * changes the lab commits before its answer is sent (`commit()`, called by src/kernel/commit-before-reply.ts), so only
 * what devices do on their own between requests waits for the next turn.
 *
 * Lab time never goes back: every commit also writes the lab clock's `now` in the same transaction (`trackClock`), so
 * a time stamped into a document is never later than the clock saved with it; a restart resumes at or after it.
 */
import Database from 'better-sqlite3';
import type { DocumentStore } from '../kernel/document-store.ts';

/** Bump when the layout changes; older files are migrated, newer ones refused. */
export const LAB_SCHEMA_VERSION = 1;

/** One row of the documents table. */
export interface StoredDocument {
  kind: string;
  id: string;
  data: string;
}

/** Marks a queued removal (any JSON value, null included, is a document). */
const DELETED = Symbol('deleted');

export class LabFileError extends Error {
  readonly code = 'LAB_FILE_INVALID';
}

/** Real ms between retries of a commit that failed (disk full). */
const WRITE_RETRY_MS = 2_000;

/** A commit failed; what it held is still queued (see LabStore.flush). */
export class LabWriteError extends Error {
  readonly code = 'LAB_WRITE_FAILED';
  readonly full: boolean;
  constructor(file: string, cause: Error) {
    const full = (cause as { code?: string }).code === 'SQLITE_FULL';
    super(
      `${file} could not be written (${full ? 'the disk is full' : cause.message}). The change is kept in memory and written as soon as the file can take it; free some disk space — until then a crash would lose it.`,
    );
    this.full = full;
  }
}

/** Why an existing SQLite file is not a lab (tables of another program), or undefined for a lab or an empty file. */
function foreignFileProblem(db: Database.Database): { reason: string; unreadable?: true } | undefined {
  let tables: string[];
  try {
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
  } catch (err) {
    return { reason: (err as Error).message, unreadable: true }; // e.g. "file is not a database"
  }
  if (tables.length === 0) return undefined; // new (or empty) file: it becomes a lab
  const ours = new Set(['meta', 'documents', 'checkpoints']);
  const foreign = tables.filter((t) => !ours.has(t));
  if (foreign.length) return { reason: `it holds tables of another program (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''})` };
  if (!tables.includes('meta')) return { reason: 'it has no meta table' };
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined;
    if (!row) return { reason: 'it has no lab schema version' };
  } catch (err) {
    return { reason: (err as Error).message, unreadable: true };
  }
  return undefined;
}

export class LabStore implements DocumentStore {
  private readonly db: Database.Database;
  /** Pending writes: the document itself, serialised at flush (several changes in one turn cost one stringify). */
  private readonly dirty = new Map<string, { kind: string; id: string; data: unknown }>();
  /** Prepared once: preparing per flush cost more than the writes themselves in a rehearsal. */
  private readonly upsertStatement: Database.Statement;
  private readonly deleteStatement: Database.Statement;
  private readonly writeAll: (writes: ReadonlyArray<{ kind: string; id: string; data: unknown }>) => void;
  private flushScheduled = false;
  private readonly inMemory: boolean;
  private closed = false;
  private writeFailure: Error | undefined;
  private failureReported = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The lab clock, saved with every commit (see trackClock). */
  private clockNow: (() => number) | undefined;
  private readonly clockStatement: Database.Statement;

  constructor(readonly file: string) {
    this.inMemory = file === ':memory:' || file === '';
    try {
      this.db = new Database(file);
    } catch (err) {
      throw new LabFileError(`${file} is not a usable Rove Simulator lab file: ${(err as Error).message}`);
    }
    // Before anything is written (even the WAL switch writes the header): a file that is not a Rove lab is refused
    // untouched, so pointing --lab at another program's database cannot harm it.
    const problem = this.inMemory ? undefined : foreignFileProblem(this.db);
    if (problem) {
      this.db.close();
      const what = problem.unreadable ? 'is not a usable Rove Simulator lab file' : 'is not a Rove Simulator lab file';
      throw new LabFileError(`${file} ${what}: ${problem.reason}. It was left untouched; choose another --lab file (a new name creates the default lab).`);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      // One transaction with the schema version: a kill here leaves either an empty file or a lab.
      this.db.exec(`
        BEGIN;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
          kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id)
        );
        CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, at INTEGER NOT NULL, data TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('schemaVersion', '${LAB_SCHEMA_VERSION}') ON CONFLICT(key) DO NOTHING;
        COMMIT;
      `);
    } catch (err) {
      this.db.close();
      throw new LabFileError(`${file} is not a usable Rove Simulator lab file: ${(err as Error).message}`);
    }
    this.upsertStatement = this.db.prepare(
      'INSERT INTO documents (kind, id, data) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data',
    );
    this.deleteStatement = this.db.prepare('DELETE FROM documents WHERE kind = ? AND id = ?');
    // max(): the saved clock only moves forward, even if a caller hands a clock that starts earlier.
    this.clockStatement = this.db.prepare(
      `INSERT INTO meta (key, value) VALUES ('clockNow', ?) ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
    );
    this.writeAll = this.db.transaction((writes: ReadonlyArray<{ kind: string; id: string; data: unknown }>) => {
      for (const w of writes) {
        if (w.data === DELETED) this.deleteStatement.run(w.kind, w.id);
        else this.upsertStatement.run(w.kind, w.id, JSON.stringify(w.data));
      }
      if (this.clockNow) this.clockStatement.run(String(Math.floor(this.clockNow())));
    });
    const version = this.getMeta<number>('schemaVersion') ?? LAB_SCHEMA_VERSION;
    if (version > LAB_SCHEMA_VERSION) {
      this.db.close();
      throw new LabFileError(
        `${file} was written by a newer Rove Simulator (lab schema ${version}, this one reads up to ${LAB_SCHEMA_VERSION})`,
      );
    }
  }

  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  deleteMeta(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  /** All documents of a kind, with pending (not yet flushed) changes applied. */
  list<T>(kind: string): T[] {
    this.flush();
    const rows = this.db.prepare('SELECT id, data FROM documents WHERE kind = ? ORDER BY rowid').all(kind) as Array<{ id: string; data: string }>;
    return rows.map((r) => {
      try {
        return JSON.parse(r.data) as T;
      } catch (err) {
        throw this.damaged(`its ${kind} document "${r.id}" is not valid JSON (${(err as Error).message})`);
      }
    });
  }

  /** The error for a lab file whose content is damaged: which file, what is wrong, what to do. */
  damaged(what: string): LabFileError {
    return new LabFileError(
      `${this.file} is damaged: ${what}. Restore a copy of the file (or a checkpoint export), or delete it to start again from the default lab.`,
    );
  }

  /** Queues a document write; it is committed with the other writes of this event-loop turn. */
  put(kind: string, id: string, data: unknown): void {
    this.queue(kind, id, data);
  }

  remove(kind: string, id: string): void {
    this.queue(kind, id, DELETED);
  }

  /** Saves `now()` (the lab clock) with every commit from here on, and now. */
  trackClock(now: () => number): void {
    this.clockNow = now;
    this.saveClock();
  }

  /** Writes the lab clock alone (the lab does it every second between commits). */
  saveClock(): void {
    if (this.closed || !this.clockNow) return;
    this.clockStatement.run(String(Math.floor(this.clockNow())));
  }

  /**
   * Commits queued writes and the clock now, in one transaction (one fsync), even when no document is queued: what a
   * request calls before it answers (a clock jump changes no document but must survive a kill).
   */
  commit(): void {
    this.write(true);
  }

  /** Commits queued writes now, in one transaction (nothing to do when none is queued). */
  flush(): void {
    this.write(false);
  }

  private write(evenIfNothingQueued: boolean): void {
    if (this.closed || (this.dirty.size === 0 && !evenIfNothingQueued)) return;
    const writes = [...this.dirty.values()];
    this.dirty.clear();
    try {
      this.writeAll(writes);
      this.writeFailure = undefined;
    } catch (err) {
      // The transaction rolled back (disk full, I/O error): the file is as it was. Keep the writes queued — a newer
      // write of the same document queued meanwhile wins — and retry later, so nothing is lost while the process runs.
      for (const w of writes) {
        const key = `${w.kind}\u0000${w.id}`;
        if (!this.dirty.has(key)) this.dirty.set(key, w);
      }
      this.writeFailure = err as Error;
      this.scheduleRetry();
      throw new LabWriteError(this.file, err as Error);
    }
  }

  /** The last commit failed and its writes wait for a retry (disk full…); undefined once a commit succeeds. */
  get pendingFailure(): Error | undefined {
    return this.writeFailure;
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      try {
        this.flush();
      } catch {
        // flush() scheduled the next retry.
      }
    }, WRITE_RETRY_MS);
    this.retryTimer.unref();
  }

  /** Every document with pending writes applied, in file order (checkpoints copy them). */
  exportDocuments(): StoredDocument[] {
    this.flush();
    return this.db.prepare('SELECT kind, id, data FROM documents ORDER BY rowid').all() as StoredDocument[];
  }

  /** Replaces every document at once, in one transaction (checkpoint restore). */
  replaceDocuments(documents: readonly StoredDocument[]): void {
    this.dirty.clear();
    const insert = this.db.prepare('INSERT INTO documents (kind, id, data) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM documents').run();
      for (const d of documents) insert.run(d.kind, d.id, d.data);
    })();
  }

  /** Saves (or replaces) a named checkpoint: lab time `at` and an opaque payload. */
  putCheckpoint(name: string, at: number, data: string): void {
    this.db.prepare('INSERT INTO checkpoints (name, at, data) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET at = excluded.at, data = excluded.data')
      .run(name, at, data);
  }

  getCheckpoint(name: string): { name: string; at: number; data: string } | undefined {
    return this.db.prepare('SELECT name, at, data FROM checkpoints WHERE name = ?').get(name) as { name: string; at: number; data: string } | undefined;
  }

  listCheckpoints(): Array<{ name: string; at: number; bytes: number }> {
    return this.db.prepare('SELECT name, at, length(data) AS bytes FROM checkpoints ORDER BY at, name').all() as Array<{ name: string; at: number; bytes: number }>;
  }

  deleteCheckpoint(name: string): boolean {
    return this.db.prepare('DELETE FROM checkpoints WHERE name = ?').run(name).changes > 0;
  }

  /** Closes without committing what is queued (a lab that could not be opened writes nothing more). */
  abandon(): void {
    this.dirty.clear();
    this.clockNow = undefined;
    this.close();
  }

  close(): void {
    if (this.closed) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    // An in-memory database goes with the close: writing its queue first would serialise it for nobody.
    if (this.inMemory) this.dirty.clear();
    try {
      this.flush();
      this.saveClock();
    } catch {
      // Nothing more can be done for writes the disk refuses at exit; the file keeps its last commit.
    }
    this.closed = true;
    this.db.close();
  }

  private queue(kind: string, id: string, data: unknown): void {
    if (this.closed) return;
    this.dirty.set(`${kind}\u0000${id}`, { kind, id, data });
    // An in-memory lab (a rehearsal) has nothing to lose in a crash: its writes only need to be there when something
    // reads them, and everything that reads documents (list, exportDocuments) flushes first. So they wait for that
    // reader, holding the latest document of each device (which the device holds anyway): a full-scale rehearsal
    // serialised its 1,254 documents some 160 times (every 250 ms) for nobody — ≈ 2 % of its CPU time.
    if (this.inMemory) return;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      const run = () => {
        this.flushScheduled = false;
        try {
          this.flush();
        } catch (err) {
          // Between requests nobody waits for the answer: the writes stay queued and are retried (see flush).
          if (!this.failureReported) {
            this.failureReported = true;
            console.error(`rove-sim: ${(err as Error).message}`);
          }
        }
      };
      // A lab file on disk commits on the next turn (the crash guarantee above).
      setImmediate(run);
    }
  }
}
