/**
 * Named checkpoints of a lab: its documents (every device's flash and record, the tenant, the gateway's devices, the
 * active faults) and its lab time, kept in the lab file's `checkpoints` table. Restoring puts the documents back and reloads every
 * device from them — a power cycle, as a restart of the simulator is (XState cannot restore pending timers).
 * Lab time does not go back: deadlines in the documents (codes, offboarding) count on from where they were set.
 */
import type { Lab } from '../lab/lab.ts';
import type { LabStore, StoredDocument } from '../lab/lab-store.ts';
import {
  ERR_BASE_NOT_RUNNING_4,
  ERR_CHECKPOINT_NAME_INVALID,
  ERR_CHECKPOINT_NOT_FOUND,
  ERR_CHECKPOINT_NOT_FOUND_2,
  ERR_DEVICE_NOT_FOUND_3,
} from '../kernel/error-catalogue.ts';
import { faultsOf } from './faults/fault-board.ts';

export interface CheckpointInfo {
  name: string;
  /** Lab time when it was saved. */
  at: number;
  bytes: number;
}

interface CheckpointData {
  version: 1;
  clockNow: number;
  documents: StoredDocument[];
}

const NAME = /^[\w.-]{1,64}$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new ERR_CHECKPOINT_NAME_INVALID();
  return name;
}

/** Saves the lab as it is now under `name` (replacing a checkpoint of that name). */
export function saveCheckpoint(lab: Lab, name: string): CheckpointInfo {
  return saveStoreCheckpoint(lab.store, name, lab.clock.now());
}

/** The same on a lab file that is not running (`rove-sim checkpoint save --lab FILE NAME`). */
export function saveStoreCheckpoint(store: LabStore, name: string, clockNow = store.getMeta<number>('clockNow') ?? 0): CheckpointInfo {
  const data: CheckpointData = { version: 1, clockNow, documents: store.exportDocuments() };
  const text = JSON.stringify(data);
  store.putCheckpoint(checkName(name), data.clockNow, text);
  return { name, at: data.clockNow, bytes: text.length };
}

/** Saves another lab's state as a checkpoint of `store` (an exercise's checkpoint, made in a lab of its own). */
export function saveCheckpointFrom(source: Lab, store: LabStore, name: string): CheckpointInfo {
  source.commit();
  const data: CheckpointData = { version: 1, clockNow: source.clock.now(), documents: source.store.exportDocuments() };
  const text = JSON.stringify(data);
  store.putCheckpoint(checkName(name), data.clockNow, text);
  return { name, at: data.clockNow, bytes: text.length };
}

/** Restore on a lab file that is not running: the next start power-cycles every device from the restored documents. */
export function restoreStoreCheckpoint(store: LabStore, name: string): CheckpointInfo {
  const saved = requireCheckpoint(store, name);
  store.replaceDocuments((JSON.parse(saved.data) as CheckpointData).documents);
  return { name, at: saved.at, bytes: saved.data.length };
}

function requireCheckpoint(store: LabStore, name: string): { name: string; at: number; data: string } {
  const saved = store.getCheckpoint(name);
  if (!saved) throw new ERR_CHECKPOINT_NOT_FOUND(name, store.listCheckpoints().map((c) => c.name).join(', ') || 'none');
  return saved;
}

export function listCheckpoints(store: LabStore): CheckpointInfo[] {
  return store.listCheckpoints();
}

export function deleteCheckpoint(store: LabStore, name: string): void {
  if (!store.deleteCheckpoint(name)) throw new ERR_CHECKPOINT_NOT_FOUND_2(name);
}

/**
 * Puts the lab back as it was at the checkpoint: today's faults are cleared, documents restored, every device
 * reloaded, and the faults that were active when the checkpoint was saved (kept with its documents) put back.
 */
export async function restoreCheckpoint(lab: Lab, name: string): Promise<CheckpointInfo> {
  const saved = requireCheckpoint(lab.store, name);
  const data = JSON.parse(saved.data) as CheckpointData;
  const board = faultsOf(lab);
  board.clearAll();
  await lab.settle();
  lab.store.replaceDocuments(data.documents);
  lab.reload();
  // The faults get the lab time they had left when the checkpoint was saved (lab time does not go back).
  board.restore({ shiftMs: Math.max(0, lab.clock.now() - data.clockNow) });
  return { name, at: saved.at, bytes: saved.data.length };
}

/** Factory reset of one device: a base (it must be running, as from its web admin) or a handset. */
export function factoryReset(lab: Lab, device: string): { kind: 'base' | 'handset'; id: string } {
  const base = lab.getBase(device);
  if (base) {
    if (!base.reachable) throw new ERR_BASE_NOT_RUNNING_4(base.mac, base.state);
    base.send({ type: 'FACTORY_RESET' });
    return { kind: 'base', id: base.mac };
  }
  const handset = lab.getHandset(device);
  if (!handset) throw new ERR_DEVICE_NOT_FOUND_3(device);
  return { kind: 'handset', id: lab.factoryResetHandset(handset.ipei).ipei };
}
