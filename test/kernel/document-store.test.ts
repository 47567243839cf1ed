import { describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../src/kernel/document-store.ts';
import { LabStore } from '../../src/lab/lab-store.ts';
import { MemoryDocumentStore } from '../support/memory-document-store.ts';

/** The contract every store a cloud service is given keeps, told once for the lab file and once for the test map. */
describe.each([
  ['the lab file (LabStore)', () => new LabStore(':memory:')],
  ['a map (MemoryDocumentStore)', () => new MemoryDocumentStore()],
] as Array<[string, () => DocumentStore & { close?: () => void }]>)('DocumentStore: %s', (_name, open) => {
  it('lists a kind in the order its documents were first written, a replaced one in its place', () => {
    const store = open();
    store.put('teams-device', 'b', { n: 1 });
    store.put('teams-device', 'a', { n: 2 });
    store.put('other', 'a', { n: 3 });
    store.put('teams-device', 'b', { n: 4 });
    expect(store.list('teams-device')).toEqual([{ n: 4 }, { n: 2 }]);
    store.close?.();
  });

  it('removes a document, and removing one that is not there is nothing', () => {
    const store = open();
    store.put('teams-dnd', 'x', { hardwareId: 'x' });
    store.remove('teams-dnd', 'x');
    store.remove('teams-dnd', 'y');
    expect(store.list('teams-dnd')).toEqual([]);
    store.close?.();
  });
});
