/**
 * Do not disturb for a signed-in device's user calls through the gateway: `*30*` on, `*31*` off, dialled on the device.
 * Kept per device (`teams-dnd` documents) and only in effect while the device is signed in.
 */
import type { DocumentStore } from '../../../kernel/document-store.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { DeviceRecords } from './device-records.ts';

const DND_KIND = 'teams-dnd';

export interface DoNotDisturbOptions {
  store: DocumentStore;
  records: DeviceRecords;
  clock: Clock;
}

export class DoNotDisturb {
  /** Devices with Do not disturb on (`*30*`). */
  private readonly on = new Set<string>();

  constructor(private readonly o: DoNotDisturbOptions) {
    this.reload();
  }

  /** Reads the devices with Do not disturb on again from the store (start and checkpoint restore). */
  reload(): void {
    this.on.clear();
    for (const x of this.o.store.list<{ hardwareId: string }>(DND_KIND)) this.on.add(x.hardwareId);
  }

  /**
   * `*30*` / `*31*` dialled on a signed-in device: Do not disturb on or off for its user's calls through the gateway
   * (persisted per device). Refused (null) for a device that is not signed in.
   */
  set(hardwareId: string, on: boolean): boolean | null {
    const { records, store } = this.o;
    const d = records.record(hardwareId);
    if (!d || d.state !== 'signedIn') return null;
    if (on) {
      this.on.add(d.hardwareId);
      store.put(DND_KIND, d.hardwareId, { hardwareId: d.hardwareId });
    } else {
      this.on.delete(d.hardwareId);
      store.remove(DND_KIND, d.hardwareId);
    }
    records.apply(d.hardwareId, { type: 'NOTE', at: this.o.clock.now(), text: `Do not disturb ${on ? 'on' : 'off'} (${on ? '*30*' : '*31*'} on the device)` });
    records.emitFor('do-not-disturb', d.hardwareId);
    return on;
  }

  /** Do not disturb is on for a signed-in device. */
  isOn(hardwareId: string): boolean {
    const d = this.o.records.record(hardwareId);
    return d?.state === 'signedIn' && this.on.has(d.hardwareId);
  }
}
