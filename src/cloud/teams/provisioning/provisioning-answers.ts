/**
 * What the provisioning service of a region answers a device asking for `<hardwareId>.cfg`, by the device's state in
 * that region: onboarding (unknown, not enrolled, or enrolled via another region), waiting for sign-in, or signed in
 * with the user's line (docs/teams-gateway.md, "Provisioning file"). The file itself is built by
 * `provisioning-file.ts`; the accounts in it come from `sip-accounts.ts`.
 */
import type { DeviceInventory } from '../devices/device-inventory.ts';
import type { DeviceRecords } from '../devices/device-records.ts';
import { normalizeHardwareId } from '../devices/hardware-id.ts';
import { type Language, type Region, resolveLanguage } from '../regions.ts';
import type { TenantDirectory } from '../tenant/tenant-directory.ts';
import { isGuid } from '../tenant/tenant-model.ts';
import { buildProvisioningFile, type FileState } from './provisioning-file.ts';
import type { SipAccount, SipAccounts } from './sip-accounts.ts';

export type ProvisioningAnswer =
  | { status: 200; body: string; state: FileState; hardwareId: string; language: Language }
  | { status: 404; body: string };

export interface ProvisioningAnswersOptions {
  records: DeviceRecords;
  inventory: DeviceInventory;
  tenant: TenantDirectory;
  accounts: SipAccounts;
}

export class ProvisioningAnswers {
  constructor(private readonly o: ProvisioningAnswersOptions) {}

  /**
   * The file the provisioning service of `region` serves for `hardwareId` (`<hardwareId>.cfg`), by device state.
   * `lang` is the `lang_xx` code (unsupported → en); `tenantId` the `/tenantid/<guid>/` part, if any. Pure: use
   * {@link handleProvisioningRequest} for a real fetch, which also records that the device was seen.
   */
  provisioningFileFor(hardwareId: string, region: Region, lang?: string, tenantId?: string): ProvisioningAnswer {
    const id = normalizeHardwareId(hardwareId);
    if (!id) return { status: 404, body: `404 Not Found: "${hardwareId}" is not a device file name (12 hex digits, e.g. 000087654321.cfg)\n` };
    if (tenantId !== undefined && !isGuid(tenantId)) {
      return { status: 404, body: `404 Not Found: "${tenantId}" is not a tenant id (a GUID such as 8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b)\n` };
    }
    const language = resolveLanguage(lang);
    const device = this.o.records.get(id);
    const notes: string[] = [];
    if (lang !== undefined && language !== lang.toLowerCase()) notes.push(`Language "${lang}" is not supported: English is used.`);
    const known = device !== undefined && device.state !== 'offboarded' && (device.region === null || device.region === region);
    if (device && device.state !== 'offboarded' && !known) {
      notes.push(`The ${region} gateway has no record of this device (it enrolled via ${device.region}): onboarding again.`);
    }
    const onboarding = this.o.accounts.onboardingAccount(id);
    const base = { hardwareId: id, region, language, notes };
    if (!known || device.state === 'provisioned') {
      return { status: 200, state: 'onboarding', hardwareId: id, language, body: buildProvisioningFile({ ...base, state: 'onboarding', account: onboarding }) };
    }
    const organizationName = this.o.tenant.tenantIfAny?.organizationName ?? '';
    if (device.state === 'signedIn' && device.user) {
      const account = this.o.accounts.lineAccount(id, device.user, device.signedInAt);
      return {
        status: 200,
        state: 'signed-in',
        hardwareId: id,
        language,
        body: buildProvisioningFile({ ...base, state: 'signed-in', account, organizationName, user: device.user }),
      };
    }
    return {
      status: 200,
      state: 'waiting-for-sign-in',
      hardwareId: id,
      language,
      body: buildProvisioningFile({ ...base, state: 'waiting-for-sign-in', account: onboarding, organizationName }),
    };
  }

  /** A real fetch from a device: answers like {@link provisioningFileFor} and records the contact. */
  handleProvisioningRequest(hardwareId: string, region: Region, lang?: string, tenantId?: string, viaBaseMac?: string): ProvisioningAnswer {
    const answer = this.provisioningFileFor(hardwareId, region, lang, tenantId);
    if (answer.status === 200) {
      this.o.inventory.deviceSeen(answer.hardwareId, region, {
        language: answer.language,
        bulkSignInTag: tenantId?.toLowerCase() ?? null,
        ...(viaBaseMac ? { baseMac: viaBaseMac } : {}),
      });
    }
    return answer;
  }

  /** The SIP account a device registers with now (for the SIP wiring), from its provisioning file. */
  sipAccountFor(hardwareId: string, region: Region): SipAccount | undefined {
    // The account provisioningFileFor puts in the file (%SIP_USER%, %SIP_PASSWORD%), without building the file: the
    // lab asks on every provisioning fetch of every base (test: gateway sipAccountFor matches the file).
    const id = normalizeHardwareId(hardwareId);
    if (!id) return undefined;
    const device = this.o.records.get(id);
    const known = device !== undefined && device.state !== 'offboarded' && (device.region === null || device.region === region);
    if (known && device.state === 'signedIn' && device.user) return this.o.accounts.lineAccount(id, device.user, device.signedInAt);
    return this.o.accounts.onboardingAccount(id);
  }
}
