/**
 * Auto firmware update: which file the base asks for, and how it judges what the server returned.
 *
 * The file name follows the RTX pattern `<model>_v<version>_b<branch>.fwu` (RTX's `M900_v0670_b0202.fwu`), e.g.
 * `RoveB4_v8003_b0009.fwu`; that Rove uses the same pattern is a modelling choice (docs/fidelity.md). The error codes
 * are the simulator's own (the real codes are not published); each message says what to check.
 */
import type { BaseFlash, BaseModel } from './base-flash.ts';
import { toDotted } from './firmware-version.ts';

export type FirmwareImageModel = `Rove${BaseModel}` | 'Rove30' | 'Rove40';

export function firmwareFileName(model: FirmwareImageModel, version: string, branch: string): string {
  return `${model}_v${version}_b${branch}.fwu`;
}

/** `http://downloads.polycom.com/` + `/voice/dect-ip-phones/Rove/` + file, with exactly one slash at each joint. */
export function firmwareUrl(server: string, path: string, file: string): string {
  const s = server.replace(/\/+$/, '');
  const p = path.replace(/^\/+|\/+$/g, '');
  return p ? `${s}/${p}/${file}` : `${s}/${file}`;
}

export type FirmwarePlan =
  | { action: 'none'; reason: string }
  | { action: 'download'; url: string; file: string; target: string }
  | { action: 'error'; code: FirmwareErrorCode; message: string };

/** Decides what a firmware check does, from the flash alone. */
export function planFirmwareCheck(flash: BaseFlash): FirmwarePlan {
  const s = flash.settings;
  if (!s.baseFwVersion && !s.baseFwBranch) return { action: 'none', reason: 'No BaseFWVersion set: nothing to check' };
  if (!s.baseFwVersion || !s.baseFwBranch) {
    return { action: 'error', code: 'FWU-07', message: 'BaseFWVersion and BaseFwBranch must both be set' };
  }
  const target = toDotted({ version: s.baseFwVersion, branch: s.baseFwBranch });
  if (target === flash.firmware) return { action: 'none', reason: `Firmware ${target} is up to date` };
  if (!s.firmwareServer) return { action: 'error', code: 'FWU-06', message: 'No FirmwareServer configured' };
  const file = firmwareFileName(`Rove${flash.model}`, s.baseFwVersion, s.baseFwBranch);
  return { action: 'download', url: firmwareUrl(s.firmwareServer, s.firmwarePath, file), file, target };
}

export type FirmwareErrorCode = 'FWU-01' | 'FWU-02' | 'FWU-03' | 'FWU-04' | 'FWU-05' | 'FWU-06' | 'FWU-07';

export const FIRMWARE_ERRORS: Readonly<Record<FirmwareErrorCode, string>> = {
  'FWU-01': 'Firmware server not found (DNS): check FirmwareServer',
  'FWU-02': 'No response from firmware server: check that it is running and reachable',
  'FWU-03': 'Firmware file not found on server (HTTP 404): check FirmwarePath and the version/branch',
  'FWU-04': 'Firmware server refused the request',
  'FWU-05': 'Downloaded file is not a valid firmware image for this model/version',
  'FWU-06': 'No FirmwareServer configured',
  'FWU-07': 'Incomplete target version',
};

/**
 * Firmware images (fixtures/firmware) start with a small text header; the base refuses an image whose header does
 * not name the model and version it asked for, as real firmware refuses a wrong image.
 */
export function parseFirmwareHeader(body: Buffer): { model: string; version: string } | undefined {
  const head = body.subarray(0, 256).toString('latin1');
  if (!head.startsWith('RTX-FWU')) return undefined;
  const model = /^model: (\S+)$/m.exec(head)?.[1];
  const version = /^version: (\S+)$/m.exec(head)?.[1];
  return model && version ? { model, version } : undefined;
}
