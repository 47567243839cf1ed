/** The signed-in user as a device knows it: taken from the tenant at sign-in and refreshed by each policy sync. */
import { effectiveCallingPolicy, type Tenant, type TeamsUser } from '../tenant/tenant-model.ts';
import type { DeviceUser } from './device-machine.ts';

export function deviceUserOf(tenant: Tenant, user: TeamsUser): DeviceUser {
  return {
    upn: user.upn,
    displayName: user.displayName,
    phoneNumber: user.phoneNumber,
    sipCallingAllowed: effectiveCallingPolicy(tenant, user)?.allowSipDevicesCalling ?? false,
  };
}
