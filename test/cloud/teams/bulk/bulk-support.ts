/** Crafting tenant and device states for bulk sign-in stories. */
import type { Lab } from '../../../../src/lab/lab.ts';
import type { BulkSignInBatch } from '../../../../src/cloud/teams/bulk/batch-service.ts';
import { formatHardwareId } from '../../../../src/cloud/teams/devices/hardware-id.ts';
import type { Region } from '../../../../src/cloud/teams/regions.ts';

export const TENANT = '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b';
/** The default lab's base: site `default`, behind the head office's trusted public IP. */
export const HQ_BASE = '0004F2A00001';

/** Hardware id n as the CSV writes it: `00-00-11-11-00-01`. */
export const hw = (n: number) => `00001111${n.toString(16).toUpperCase().padStart(4, '0')}`;
export const csvId = (n: number) => formatHardwareId(hw(n));

/** A common area phone account ready for bulk sign-in. */
export function addCapUser(lab: Lab, n: number): string {
  const upn = `cap${n}@contoso.com`;
  lab.teams.addUser({
    upn,
    displayName: `Common area phone ${n}`,
    phoneNumber: `+1425556${String(n).padStart(4, '0')}`,
    licence: 'Microsoft Teams Shared Devices',
    mfa: false,
    password: { mustChangeAtNextLogin: false, cannotChange: false, minimumAgeDays: 0 },
    callingPolicy: 'SIPDevices',
    ipPhonePolicy: 'CommonAreaPhone',
  });
  return upn;
}

export interface ReadyOptions {
  /** The tenant id in the provisioning URL; null: none. */
  tenantId?: string | null;
  baseMac?: string;
  region?: Region;
}

/** Provisioned in the admin center, then fetched its file through a base, with the tenant id in the URL. */
export function readyDevice(lab: Lab, n: number, o: ReadyOptions = {}): string {
  const id = hw(n);
  const added = lab.teams.addDevices([{ macAddress: id }], 'api');
  if (!added.ok) throw new Error(JSON.stringify(added.problems));
  const tenantId = o.tenantId === undefined ? TENANT : o.tenantId;
  lab.teams.handleProvisioningRequest(id, o.region ?? 'EMEA', 'en', tenantId ?? undefined, o.baseMac ?? HQ_BASE);
  return id;
}

export function csv(rows: Array<[string, string]>): string {
  return ['Username,HardwareId', ...rows.map(([u, h]) => `${u},${h}`)].join('\r\n');
}

/** Submits and lets the lab clock run until the batch is Completed. */
export async function runBatch(lab: Lab, rows: Array<[string, string]>, region: Region = 'EMEA'): Promise<BulkSignInBatch> {
  const { BatchId } = lab.teams.bulk.submit({ region, csv: csv(rows) });
  await lab.clock.advanceUntil(() => lab.teams.bulk.status(BatchId).BatchStatus === 'Completed', rows.length * lab.teams.profile.bulkRowProcessingMs + 1);
  return lab.teams.bulk.status(BatchId);
}

export const errorsOf = (b: BulkSignInBatch) => b.BatchItem.map((i) => i.Error);
