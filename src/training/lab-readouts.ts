/**
 * What a technician can find out about the lab, and nothing more: the read-outs the web admin, the handset, the Teams
 * admin center, the cmdlets and the control API show. Checks see the lab only through this module.
 *
 * | read-out | where the trainee sees it |
 * |---|---|
 * | `base.status()` (firmware, state, reboot log, pending reboots, error codes) | web admin Home/Status, `GET /api/bases/:mac` |
 * | the base's settings | web admin pages (the values the forms show), `GET /api/bases/:mac/settings` |
 * | whether the factory password is still set | the web admin asks for a new password at login |
 * | DECT Summary | web admin DECT → DECT Summary |
 * | `handset.view()` (screen, display, line, firmware, base) | the handset's page and console, `GET /api/handsets` |
 * | `teams.devices()` (list, user status, user) | Teams admin center → Teams devices, `GET /api/teams/devices` |
 * | the latest bulk sign-in batch | `Get-CsSdgBulkSignInRequestsSummary`, `Get-CsSdgBulkSignInRequestStatus` |
 */
import type { BaseStatusView } from '../devices/base-station/base-station.ts';
import type { HandsetView } from '../devices/handset/handset.ts';
import type { DeviceView } from '../cloud/teams/devices/device-view.ts';
import { normalizeHardwareId } from '../cloud/teams/devices/hardware-id.ts';
import type { Lab } from '../lab/lab.ts';

export interface BaseReadout {
  mac: string;
  status: BaseStatusView;
  settings: Readonly<Record<string, unknown>>;
  passwordChanged: boolean;
  handsetsRegistered: number;
}

export interface BulkBatchReadout {
  status: 'succeeded' | 'failed' | 'inprogress';
  succeeded: number;
  failed: number;
  /** Error text → rows that failed with it. */
  errors: Record<string, number>;
}

export interface LabReadouts {
  bases(selector: string): BaseReadout[];
  handsets(selector: string): HandsetView[];
  teamsDevices(selector: string): DeviceView[];
  /** The newest batch, or a refusal's words (the cmdlet's), or null when there is none. */
  latestBulkBatch(): BulkBatchReadout | string | null;
}

const ALL = '*';

/** The read-outs of a lab. Selectors: `*`, a base MAC, a handset IPEI, a Teams hardware id (`00` + IPEI). */
export function labReadouts(lab: Lab): LabReadouts {
  return {
    bases(selector) {
      const bases = selector === ALL ? [...lab.bases.values()] : [lab.getBase(selector)].filter((b) => b !== undefined);
      return bases.map((b) => ({
        mac: b.mac,
        status: b.status(),
        settings: b.flash.settings as unknown as Record<string, unknown>,
        passwordChanged: !b.mustChangePassword,
        handsetsRegistered: lab.dectSummary(b.mac).length,
      }));
    },
    handsets(selector) {
      const handsets = selector === ALL ? [...lab.handsets.values()] : [lab.getHandset(selector)].filter((h) => h !== undefined);
      return handsets.map((h) => h.view());
    },
    teamsDevices(selector) {
      const devices = lab.teams.devices();
      if (selector === ALL) return devices;
      const wanted = [normalizeHardwareId(selector), normalizeHardwareId(`00${selector}`)].filter((x) => x !== undefined);
      return devices.filter((d) => wanted.includes(d.hardwareId));
    },
    latestBulkBatch() {
      let latest;
      try {
        const [newest] = lab.teams.bulk.summary();
        if (!newest) return null;
        latest = lab.teams.bulk.status(newest.BatchId);
      } catch (err) {
        return (err as Error).message;
      }
      const errors: Record<string, number> = {};
      for (const item of latest.BatchItem) if (item.Error) errors[item.Error] = (errors[item.Error] ?? 0) + 1;
      const count = (s: string) => latest.BatchItem.filter((i) => i.Status === s).length;
      const failed = count('failed');
      return { status: latest.BatchStatus !== 'Completed' ? 'inprogress' : failed > 0 ? 'failed' : 'succeeded', succeeded: count('success'), failed, errors };
    },
  };
}
