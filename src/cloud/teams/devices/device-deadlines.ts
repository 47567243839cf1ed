/**
 * The gateway's one lab-clock timer for the device deadlines that must *do* something: offboarding a silent device
 * (14 days unpaired, 30 days paired), the policy sync an hour after a tenant change, and announcing that a pairing code
 * expired. Codes themselves are only checked against the clock when used (device-machine.ts says why deadlines are
 * record fields, not machine delays).
 *
 * ```text
 *   start / reload ──▶ reschedule (scan every device) ──▶ timer at the earliest deadline ──▶ sweep ──▶ reschedule
 *   a device changed ──▶ scheduleFor (bring the timer forward if this one is earlier; O(1))
 * ```
 */
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import type { TenantDirectory } from '../tenant/tenant-directory.ts';
import type { TeamsDevice } from './device-machine.ts';
import type { DeviceRecords } from './device-records.ts';
import { deviceUserOf } from './device-user.ts';
import { offboardingDueAt } from './device-view.ts';

export interface DeviceDeadlinesOptions {
  records: DeviceRecords;
  tenant: TenantDirectory;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
}

export class DeviceDeadlines {
  private timer: number | undefined;
  /** Lab time the timer fires at (Infinity when none). */
  private timerAt = Infinity;
  private disposed = false;
  private readonly records: DeviceRecords;
  private readonly tenant: TenantDirectory;
  private readonly clock: Clock;
  private readonly profile: Readonly<GatewayProfile>;

  constructor(options: DeviceDeadlinesOptions) {
    this.records = options.records;
    this.tenant = options.tenant;
    this.clock = options.clock;
    this.profile = options.profile;
  }

  /** One lab-clock timer for the earliest deadline of all devices (a scan of every device: start, reload, sweep). */
  reschedule(): void {
    if (this.disposed) return;
    let next = Infinity;
    for (const d of this.records.all()) for (const t of this.dueTimes(d)) next = Math.min(next, t);
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, next - this.clock.now()));
  }

  /**
   * One device changed: bring the timer forward if it has an earlier deadline. A deadline that moved later leaves
   * the timer early; the sweep then finds nothing due and rescans. This keeps a change O(1) instead of a scan of every
   * device (1,000 sign-ins would otherwise be 1,000,000 deadline checks).
   */
  scheduleFor(d: TeamsDevice): void {
    if (this.disposed) return;
    let next = Infinity;
    for (const t of this.dueTimes(d)) next = Math.min(next, t);
    if (next >= this.timerAt) return;
    this.clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, next - this.clock.now()));
  }

  /** After a tenant change: signed-in devices whose user details or policies changed get a sync within the hour. */
  policiesChanged(): void {
    const at = this.clock.now();
    for (const d of [...this.records.all()]) {
      if (d.state !== 'signedIn' || !d.user) continue;
      const user = this.tenant.user(d.user.upn);
      const fresh = user ? deviceUserOf(this.tenant.tenant, user) : { ...d.user, sipCallingAllowed: false };
      if (JSON.stringify(fresh) !== JSON.stringify(d.user)) {
        this.records.apply(d.hardwareId, { type: 'POLICY_CHANGED', at, dueAt: at + this.profile.policySyncMs });
      }
    }
  }

  /** Stops the timer for good (the lab closes). */
  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Deadlines that must act (not just be checked when a code is used). */
  private dueTimes(d: TeamsDevice): number[] {
    const times: number[] = [];
    const offboard = offboardingDueAt(d, this.profile);
    if (offboard !== null) times.push(offboard);
    if (d.policySyncDueAt !== null) times.push(d.policySyncDueAt);
    if (d.pairing) times.push(d.pairing.expiresAt);
    return times;
  }

  private sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const at = this.clock.now();
    const records = this.records;
    for (const d of [...records.all()]) {
      const offboard = offboardingDueAt(d, this.profile);
      if (offboard !== null && offboard <= at) {
        const days = Math.round((d.state === 'signedIn' ? this.profile.offboardPairedMs : this.profile.offboardUnpairedMs) / 86_400_000);
        const reason = `disconnected for ${days} days (${d.state === 'signedIn' ? 'paired' : 'unpaired'}); factory reset the device to use it again`;
        if (records.apply(d.hardwareId, { type: 'OFFBOARD', at, reason })) records.emitFor('offboarded', d.hardwareId);
        continue;
      }
      if (d.policySyncDueAt !== null && d.policySyncDueAt <= at && d.user) {
        const user = this.tenant.user(d.user.upn);
        const fresh = user ? deviceUserOf(this.tenant.tenant, user) : { ...d.user, sipCallingAllowed: false };
        if (records.apply(d.hardwareId, { type: 'POLICY_SYNCED', at, user: fresh })) records.emitFor('policy-sync', d.hardwareId, { checkSync: true });
      }
      if (d.pairing && d.pairing.expiresAt <= at) {
        if (records.apply(d.hardwareId, { type: 'PAIRING_EXPIRED', at })) records.emitFor('pairing-expired', d.hardwareId);
      }
    }
    this.reschedule();
  }
}
