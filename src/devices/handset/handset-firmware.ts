/**
 * Which firmware the base wants each handset model to run, and where the base fetches that image.
 *
 * The base's Auto provisioning page names the handset images `Rove30FwVersion`/`Rove30FwBranch` and
 * `Rove40FwVersion`/`Rove40FwBranch` (seed 000); the base downloads `Rove30_v8003_b0009.fwu` from its FirmwareServer +
 * FirmwarePath (the RTX file pattern, firmware-update.ts) and sends it to each handset of that model over the air [MS].
 */
import type { BaseSettings } from '../base-station/parameters.ts';
import { FIRMWARE_ERRORS, type FirmwareErrorCode, firmwareFileName, firmwareUrl } from '../base-station/firmware-update.ts';
import { toDotted } from '../base-station/firmware-version.ts';
import { type HandsetModel, imageModel } from './handset-record.ts';

/** The version (dotted) the base distributes for `model`, or null when its version/branch fields are not both set. */
export function handsetFirmwareTarget(settings: BaseSettings, model: HandsetModel): string | null {
  const [version, branch] =
    model === 'Rove 30'
      ? [settings.rove30FwVersion, settings.rove30FwBranch]
      : [settings.rove40FwVersion, settings.rove40FwBranch];
  return version && branch ? toDotted({ version, branch }) : null;
}

export type HandsetImagePlan =
  | { ok: true; url: string; file: string; target: string }
  | { ok: false; code: FirmwareErrorCode; message: string };

/** The download the base makes for `model`'s image, or why it cannot. */
export function handsetImagePlan(settings: BaseSettings, model: HandsetModel): HandsetImagePlan {
  const [version, branch] =
    model === 'Rove 30'
      ? [settings.rove30FwVersion, settings.rove30FwBranch]
      : [settings.rove40FwVersion, settings.rove40FwBranch];
  if (!version || !branch) {
    return { ok: false, code: 'FWU-07', message: `${imageModel(model)}FwVersion and ${imageModel(model)}FwBranch must both be set` };
  }
  if (!settings.firmwareServer) return { ok: false, code: 'FWU-06', message: FIRMWARE_ERRORS['FWU-06'] };
  const file = firmwareFileName(imageModel(model), version, branch);
  return { ok: true, url: firmwareUrl(settings.firmwareServer, settings.firmwarePath, file), file, target: toDotted({ version, branch }) };
}
