/**
 * The few document operations a cloud service needs from wherever the lab keeps its data: documents of a kind, each
 * under an id, written as plain JSON values. `LabStore` (the lab file) implements it; services take this interface so
 * that `src/cloud/` never depends on the lab that hosts it (and tests can hand them a map).
 */
export interface DocumentStore {
  /** Every document of a kind, in the order they were first written, with pending writes applied. */
  list<T>(kind: string): T[];
  /** Writes (or replaces) a document; the store may batch the commit, but a later `list` sees it. */
  put(kind: string, id: string, data: unknown): void;
  /** Removes a document (nothing happens if there is none). */
  remove(kind: string, id: string): void;
}
