/**
 * The device inventory an administrator manages: Provision devices → Add / Upload MAC addresses, a device's location,
 * Restart from SIP devices, a line in a device's history, and the contact a device makes with the gateway (SIP
 * registration, provisioning fetch) that keeps it from being offboarded.
 *
 * Errors raised here: the per-row problems of Add MAC addresses (see hardware-id.ts for the hardware id checks),
 * `DEVICE_NOT_IN_INVENTORY` (restart) and `LOCATION_INVALID`.
 */
import { ERR_DEVICE_NOT_IN_INVENTORY, ERR_LOCATION_INVALID } from '../../../kernel/error-catalogue.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import type { Language, Region } from '../regions.ts';
import type { TenantDirectory } from '../tenant/tenant-directory.ts';
import type { DeviceDeadlines } from './device-deadlines.ts';
import type { TeamsDevice } from './device-machine.ts';
import type { DeviceRecords } from './device-records.ts';
import type { DeviceView } from './device-view.ts';
import { checkHardwareId, formatHardwareId, normalizeHardwareId } from './hardware-id.ts';

export type AddDevicesResult =
  | { ok: true; added: DeviceView[] }
  | { ok: false; problems: Array<{ row: number; macAddress?: string; message: string }> };

export interface DeviceInventoryOptions {
  records: DeviceRecords;
  deadlines: DeviceDeadlines;
  tenant: TenantDirectory;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
  /** MACs of the lab's bases, refused as hardware ids with a hint. */
  baseMacs: () => Iterable<string>;
}

export class DeviceInventory {
  constructor(private readonly o: DeviceInventoryOptions) {}

  /**
   * Provision devices → Waiting on activation → Add / Upload MAC addresses. Every row is checked first; nothing is
   * added unless all rows are good.
   */
  addDevices(rows: Array<{ row?: number; macAddress: string; location?: string }>, from: TeamsDevice['addedFrom']): AddDevicesResult {
    const { records, deadlines, profile } = this.o;
    const problems: Array<{ row: number; macAddress?: string; message: string }> = [];
    const accepted: Array<{ hardwareId: string; location: string }> = [];
    const seen = new Map<string, number>();
    const baseMacs = [...this.o.baseMacs()];
    rows.forEach((r, i) => {
      const row = r.row ?? i + 1;
      const location = (r.location ?? '').trim();
      const checked = checkHardwareId(r.macAddress, { baseMacs, refuseBaseMacs: profile.refuseBaseMacs });
      if (!checked.ok) {
        problems.push({ row, macAddress: r.macAddress, message: checked.message });
        return;
      }
      const id = checked.hardwareId;
      const existing = records.get(id);
      if (existing && existing.state !== 'offboarded') {
        problems.push({ row, macAddress: r.macAddress, message: `${formatHardwareId(id)} has already been added (${records.view(existing).list}).` });
      } else if (seen.has(id)) {
        problems.push({ row, macAddress: r.macAddress, message: `${formatHardwareId(id)} is also on row ${seen.get(id)}.` });
      } else if (location.length > 128) {
        problems.push({ row, macAddress: r.macAddress, message: 'Location can have at most 128 characters.' });
      } else {
        seen.set(id, row);
        accepted.push({ hardwareId: id, location });
      }
    });
    if (rows.length === 0) problems.push({ row: 0, message: 'Add at least one MAC address.' });
    if (problems.length) return { ok: false, problems };
    const at = this.o.clock.now();
    const added = accepted.map(({ hardwareId, location }) => {
      const device = newDevice(hardwareId, this.o.tenant.tenant.id, location, from, at);
      records.insert(device);
      records.emit('provisioned', device);
      deadlines.scheduleFor(device);
      return records.view(device);
    });
    return { ok: true, added };
  }

  /** Restart (SIP devices → select a device): the device is told to re-provision and restart. */
  restart(hardwareId: string): DeviceView {
    const { records } = this.o;
    const device = records.requireDevice(hardwareId);
    if (device.state !== 'signedIn' && device.state !== 'signedOut') {
      throw new ERR_DEVICE_NOT_IN_INVENTORY(device.macAddress, device.list);
    }
    records.apply(device.hardwareId, { type: 'RESTART', at: this.o.clock.now() });
    return records.emitFor('restart', device.hardwareId, { checkSync: true, reboot: true }).device;
  }

  setLocation(hardwareId: string, location: string): DeviceView {
    const { records } = this.o;
    const device = records.requireDevice(hardwareId);
    if (location.length > 128) throw new ERR_LOCATION_INVALID();
    records.apply(device.hardwareId, { type: 'SET_LOCATION', at: this.o.clock.now(), location: location.trim() });
    return records.requireDevice(hardwareId);
  }

  /** The device talked to the gateway of `region` (SIP registration or provisioning fetch). */
  deviceSeen(hardwareId: string, region: Region, extra: { language?: Language; bulkSignInTag?: string | null; siteId?: string; baseMac?: string } = {}): void {
    const id = normalizeHardwareId(hardwareId);
    const device = id ? this.o.records.get(id) : undefined;
    if (!id || !device || device.state === 'offboarded' || (device.region !== null && device.region !== region)) return;
    this.o.records.apply(id, { type: 'SEEN', at: this.o.clock.now(), region, ...extra });
  }

  /** Adds a line to a device's history. */
  noteDevice(hardwareId: string, text: string): void {
    const d = this.o.records.record(hardwareId);
    if (d) this.o.records.apply(d.hardwareId, { type: 'NOTE', at: this.o.clock.now(), text });
  }
}

function newDevice(hardwareId: string, tenantId: string, location: string, from: TeamsDevice['addedFrom'], at: number): TeamsDevice {
  return {
    hardwareId,
    tenantId,
    state: 'provisioned',
    location,
    addedAt: at,
    addedFrom: from,
    region: null,
    verificationCode: null,
    spentCodes: [],
    enrolledAt: null,
    pairing: null,
    expiredPairing: null,
    user: null,
    lastUser: null,
    signedInAt: null,
    signedOutAt: null,
    everSignedIn: false,
    lastContactAt: null,
    lastContactRegion: null,
    siteId: null,
    bulkSignInTag: null,
    language: 'en',
    policySyncDueAt: null,
    restartRequestedAt: null,
    offboardedAt: null,
    history: [{ at, text: `Added (${from === 'upload' ? 'Upload MAC addresses' : from === 'api' ? 'control API' : 'Add MAC addresses'})` }],
  };
}
