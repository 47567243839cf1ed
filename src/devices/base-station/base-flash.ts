/**
 * A base's flash: everything that survives a reboot and a restart of the simulator. Stored as one JSON document per
 * base in the lab file (src/lab/lab-store.ts); the base machine's context holds the live copy.
 */
import type { SipConfig } from './sip-config.ts';
import type { LocalDirectoryEntry } from './central-directory.ts';
import { type BaseSettings, FACTORY_SETTINGS } from './parameters.ts';

export type BaseModel = 'B2' | 'B4';
export const BASE_MODELS: readonly BaseModel[] = ['B2', 'B4'];

export type BaseRole = 'primary' | 'secondary';

/** The multi-cell configuration a base runs: applied from its saved settings when it boots (multi-cell.ts works it out). */
export interface MultiCellConfig {
  chainId: number;
  role: BaseRole;
  dataSync: BaseSettings['dataSync'];
  systemCombination: BaseSettings['systemCombination'];
  /** The configured DECT sync source (a MAC), or null for Auto. */
  syncSource: string | null;
}

export interface RebootLogEntry {
  /** Virtual epoch ms. */
  at: number;
  reason: string;
  /** `reboot`: restarted while powered (counted); `power-on`: came up after power loss. */
  kind: 'reboot' | 'power-on';
}

export type HandsetModel = 'Rove 30' | 'Rove 40';

/** An over-the-air handset firmware update as the base records it (DECT Summary shows it). */
export interface HandsetFirmwareTransfer {
  /** Target version, dotted. */
  to: string;
  /** Share of the image sent to the handset so far (0–100). */
  percent: number;
  /** Why the last attempt failed (the base retries later). */
  error?: { code: string; message: string };
}

/** A handset subscription in one of the base's slots (src/devices/base-station/handset-subscriptions.ts). */
export interface HandsetSubscription {
  slot: number;
  /** 10 hex digits, upper case. */
  ipei: string;
  model: HandsetModel;
  /** Firmware the handset reported at its last location registration, dotted. */
  firmware?: string;
  /** Over-the-air update in progress; absent or null when none. Not meaningful across a base restart. */
  firmwareUpdate?: HandsetFirmwareTransfer | null;
}

export interface AdminPassword {
  salt: string;
  hash: string;
}

export interface BaseFlash {
  mac: string;
  model: BaseModel;
  /** Running firmware, dotted (e.g. 8.0.0.0402). */
  firmware: string;
  /** Power state the lab keeps for the device (a restart of the simulator powers it back on if true). */
  powered: boolean;
  /** null: factory default password `admin`, which must be changed before anything else. */
  adminPassword: AdminPassword | null;
  settings: BaseSettings;
  handsets: HandsetSubscription[];
  provisioning: {
    /** Reboots still owed after the provisioning target changed (see firmware-profile.ts). */
    pendingSwitchReboots: number;
    /** Values applied from the last successful ITSP provisioning fetches: per source (`base` or IPEI), by file key. */
    applied: Record<string, Record<string, string>>;
  };
  reboots: { count: number; log: RebootLogEntry[] };
  /**
   * The multi-cell configuration the base runs, applied from `settings` at boot (null or absent: single cell).
   * Saved multi-cell settings that differ from it are pending until the next reboot (src/devices/base-station/multi-cell.ts).
   */
  multiCell?: MultiCellConfig | null;
  /** SIP servers and extensions (web admin Servers / Extensions; absent on a flash that predates them). */
  sip?: SipConfig;
  /** Central Directory → Local entries (absent on a flash that predates them). */
  localDirectory?: LocalDirectoryEntry[];
}

/** The default lab's firmware: older than Teams needs (docs/fidelity.md). */
export const FACTORY_FIRMWARE = '8.0.0.0402';

export function factoryFlash(mac: string, model: BaseModel, firmware = FACTORY_FIRMWARE): BaseFlash {
  return {
    mac,
    model,
    firmware,
    powered: true,
    adminPassword: null,
    settings: { ...FACTORY_SETTINGS },
    handsets: [],
    provisioning: { pendingSwitchReboots: 0, applied: {} },
    reboots: { count: 0, log: [] },
    multiCell: null,
  };
}

/** A flash saved by an older simulator, with every setting added since at its factory default. */
export function withCurrentSettings(flash: BaseFlash): BaseFlash {
  const missing = Object.keys(FACTORY_SETTINGS).some((k) => !(k in flash.settings));
  return missing ? { ...flash, settings: { ...FACTORY_SETTINGS, ...flash.settings } } : flash;
}

/** A factory reset keeps what the hardware is (MAC, model, firmware) and forgets everything else. */
export function factoryReset(flash: BaseFlash): BaseFlash {
  return { ...factoryFlash(flash.mac, flash.model, flash.firmware), powered: flash.powered, reboots: flash.reboots };
}

/** `RoveB4 8.0.0.0402 0004F2A00001`: the RTX request identity (User-Agent) of model, firmware and MAC (docs/fidelity.md). */
export function requestIdentity(flash: Pick<BaseFlash, 'model' | 'firmware' | 'mac'>): string {
  return `Rove${flash.model} ${flash.firmware} ${flash.mac}`;
}
