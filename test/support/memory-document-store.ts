/** A `DocumentStore` in a map, for testing a cloud part on its own (documents are copied in and out, like JSON). */
import type { DocumentStore } from '../../src/kernel/document-store.ts';

export class MemoryDocumentStore implements DocumentStore {
  private readonly kinds = new Map<string, Map<string, string>>();

  list<T>(kind: string): T[] {
    return [...(this.kinds.get(kind)?.values() ?? [])].map((data) => JSON.parse(data) as T);
  }

  put(kind: string, id: string, data: unknown): void {
    let docs = this.kinds.get(kind);
    if (!docs) this.kinds.set(kind, (docs = new Map()));
    docs.set(id, JSON.stringify(data));
  }

  remove(kind: string, id: string): void {
    this.kinds.get(kind)?.delete(id);
  }

  /** The ids of a kind's documents, in the order they were first written. */
  ids(kind: string): string[] {
    return [...(this.kinds.get(kind)?.keys() ?? [])];
  }
}
