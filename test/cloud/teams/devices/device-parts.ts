/** The device parts of the gateway wired together without the gateway, on a map store and a paused lab clock. */
import { DeviceDeadlines } from '../../../../src/cloud/teams/devices/device-deadlines.ts';
import { DeviceInventory } from '../../../../src/cloud/teams/devices/device-inventory.ts';
import type { TeamsDevice } from '../../../../src/cloud/teams/devices/device-machine.ts';
import { DeviceRecords } from '../../../../src/cloud/teams/devices/device-records.ts';
import { DeviceSignIn } from '../../../../src/cloud/teams/devices/device-sign-in.ts';
import { DoNotDisturb } from '../../../../src/cloud/teams/devices/do-not-disturb.ts';
import { Enrollment } from '../../../../src/cloud/teams/devices/enrollment.ts';
import { DEFAULT_GATEWAY_PROFILE } from '../../../../src/cloud/teams/gateway-profile.ts';
import { DEFAULT_TENANT } from '../../../../src/cloud/teams/tenant/default-tenant.ts';
import { TenantDirectory } from '../../../../src/cloud/teams/tenant/tenant-directory.ts';
import { VirtualClock } from '../../../../src/kernel/virtual-clock.ts';
import { MemoryDocumentStore } from '../../../support/memory-document-store.ts';

export function deviceParts(store = new MemoryDocumentStore()) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5, 9), paused: true });
  const profile = DEFAULT_GATEWAY_PROFILE;
  let n = 7;
  const random = (max: number) => (n = (n * 48271) % 2147483647) % max;
  const recordChanges: TeamsDevice[] = [];
  // The tenant and the records call the deadlines, which are made from them.
  let deadlines!: DeviceDeadlines;
  const tenant = new TenantDirectory({ store, onPoliciesChanged: () => deadlines.policiesChanged() });
  if (!tenant.hasTenant) tenant.createTenant(DEFAULT_TENANT);
  const records = new DeviceRecords({
    store,
    clock,
    profile,
    onRecordChanged: (record) => {
      recordChanges.push(record);
      deadlines.scheduleFor(record);
    },
  });
  deadlines = new DeviceDeadlines({ records, tenant, clock, profile });
  const inventory = new DeviceInventory({ records, deadlines, tenant, clock, profile, baseMacs: () => [] });
  const enrollment = new Enrollment({ records, clock, profile, random });
  const signIns = new DeviceSignIn({ records, tenant, clock, profile, random });
  const dnd = new DoNotDisturb({ store, records, clock });
  deadlines.reschedule();
  /** Adds a device, enrolls it via EMEA and signs Adele in. */
  const signedIn = (hardwareId: string) => {
    inventory.addDevices([{ macAddress: hardwareId }], 'api');
    enrollment.enroll(hardwareId, enrollment.generateVerificationCode(hardwareId).code, 'EMEA');
    const result = signIns.signIn(signIns.requestPairingCode(hardwareId, 'device').code, 'adele.vance@contoso.com');
    if (!result.ok) throw new Error(`sign-in failed: ${result.message}`);
  };
  return { store, clock, tenant, records, deadlines, inventory, enrollment, signIns, dnd, recordChanges, signedIn, dispose: () => deadlines.dispose() };
}
