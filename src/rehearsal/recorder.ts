/**
 * Records what happened in a run as a list of events in memory (no I/O per event): every base and handset state
 * transition (from the actors' subscriptions), gateway device changes, sign-in results, faults and steps. The
 * report and the JSONL event log are made from it at the end.
 */
import type { Region } from '../cloud/teams/regions.ts';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import type { Handset } from '../devices/handset/handset.ts';
import type { Lab } from '../lab/lab.ts';
import type { LabDirectory } from './build-lab.ts';
import { faultsOf } from '../live/faults/fault-board.ts';

/**
 * How the event log words a power cut that hit a base in the middle of a firmware update — while it downloaded the
 * image or while it wrote it — (the report flags the base and counts the interruption).
 */
export const INTERRUPTED_UPDATE = 'Firmware update interrupted';

export type EventKind = 'base' | 'handset' | 'teams' | 'sign-in' | 'enroll' | 'bulk' | 'fault' | 'step' | 'failure' | 'base-error';

export interface LabEvent {
  /** Lab ms since the scenario's start. */
  t: number;
  kind: EventKind;
  /** The scenario's name of the device (`b1`, `b1/2`) or `lab`. */
  device: string;
  state?: string;
  reason?: string;
  detail?: string;
  ok?: boolean;
}

export interface BulkSignInTally {
  succeeded: number;
  failed: number;
  errors: Record<string, number>;
}

export class Recorder {
  readonly events: LabEvent[] = [];
  readonly bulk: BulkSignInTally = { succeeded: 0, failed: 0, errors: {} };
  /** A device's last failed bulk sign-in row with more than one failing check: every one (the service reports the first). */
  readonly bulkChecks = new Map<string, string[]>();
  /** The region a device's last bulk sign-in row was sent to (-Region): a base fetching from another is its root cause. */
  readonly bulkRegions = new Map<string, Region>();
  /** Lab time the service processed a device's last bulk sign-in row (its checks are as of then). */
  readonly bulkTimes = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  /** Moves on every device snapshot and gateway change (the driver re-checks waits only then). */
  changes = 0;

  constructor(
    private readonly lab: Lab,
    private readonly directory: LabDirectory,
    private readonly startMs: number,
  ) {}

  get now(): number {
    return this.lab.clock.now() - this.startMs;
  }

  /** Subscribes to every device of the lab (again after a checkpoint restore replaced them). */
  attach(): void {
    this.detach();
    for (const base of this.lab.bases.values()) this.watchBase(base);
    for (const handset of this.lab.handsets.values()) this.watchHandset(handset);
    this.unsubscribe.push(
      this.lab.teams.bulk.onChange(() => void this.changes++),
      this.lab.teams.onDeviceChange((c) => {
        this.changes++;
        if (c.kind === 'code-generated' || c.kind === 'pairing-code') return;
        this.add({ kind: 'teams', device: c.ipei ? this.directory.nameOf(c.ipei) : c.hardwareId, state: c.kind, detail: c.device.list });
      }),
      faultsOf(this.lab).onChange(({ kind, fault }) => this.add({ kind: 'fault', device: 'lab', state: kind, reason: fault.type, detail: `${fault.id}: ${fault.summary}` })),
    );
  }

  detach(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  add(event: Omit<LabEvent, 't'>): void {
    this.events.push({ t: this.now, ...event });
  }

  tallyBulk(status: 'Success' | 'Failed', error: string | null): void {
    if (status === 'Success') this.bulk.succeeded++;
    else {
      this.bulk.failed++;
      const key = error ?? 'unknown';
      this.bulk.errors[key] = (this.bulk.errors[key] ?? 0) + 1;
    }
  }

  /** Events in a stable order: by time, then device, keeping each device's own order (for logs and replays). */
  sorted(): LabEvent[] {
    return this.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.t - b.e.t || (a.e.device < b.e.device ? -1 : a.e.device > b.e.device ? 1 : a.i - b.i))
      .map(({ e }) => e);
  }

  private watchBase(base: BaseStation): void {
    const name = this.directory.nameOf(base.mac);
    let last = base.state;
    let lastFirmwareCode: string | undefined;
    let lastProvisioningCode: string | undefined;
    // The update the base was in when last seen running, downloading or writing the image (a power cut then
    // interrupts it: either way the base boots its old firmware and fetches the image again).
    let updating: { phase: 'downloading' | 'installing'; target: string } | null = null;
    this.add({ kind: 'base', device: name, state: last, ...(last === 'booting' ? { reason: 'Power on' } : {}) });
    const sub = base.actor.subscribe((snapshot) => {
      this.changes++;
      const state = base.state;
      if (state !== last) {
        const off = updating !== null ? `${INTERRUPTED_UPDATE} (power off while ${updating.phase} ${updating.target})` : 'Power off';
        const reason =
          state === 'rebooting' ? snapshot.context.rebootReason : state === 'off' ? off : state === 'booting' && last === 'off' ? 'Power on' : undefined;
        last = state;
        this.add({ kind: 'base', device: name, state, ...(reason ? { reason } : {}) });
      }
      const phase = snapshot.context.firmware.phase;
      updating = state === 'running' && (phase === 'downloading' || phase === 'installing') ? { phase, target: snapshot.context.firmwareDownload?.target ?? 'the new firmware' } : null;
      const fw = snapshot.context.firmware.phase === 'error' ? snapshot.context.firmware.code : undefined;
      if (fw !== lastFirmwareCode) {
        lastFirmwareCode = fw;
        if (fw) this.add({ kind: 'base-error', device: name, state: fw, detail: snapshot.context.firmware.message });
      }
      const prv = snapshot.context.provisioning.phase === 'error' ? snapshot.context.provisioning.code : undefined;
      if (prv !== lastProvisioningCode) {
        lastProvisioningCode = prv;
        if (prv) this.add({ kind: 'base-error', device: name, state: prv, detail: snapshot.context.provisioning.message });
      }
    });
    this.unsubscribe.push(() => sub.unsubscribe());
  }

  private watchHandset(handset: Handset): void {
    const name = this.directory.nameOf(handset.ipei);
    let last = handset.state;
    this.add({ kind: 'handset', device: name, state: last });
    const sub = handset.actor.subscribe(() => {
      this.changes++;
      const state = handset.state;
      if (state === last) return;
      last = state;
      this.add({ kind: 'handset', device: name, state });
    });
    this.unsubscribe.push(() => sub.unsubscribe());
  }
}
