/**
 * The embedded default lab a first start creates: what a technician finds before following the guide.
 * One Rove B4 at factory defaults, with firmware older than Teams needs (8.0.0.x; docs/fidelity.md), and the Contoso
 * Microsoft 365 tenant (src/teams-gateway/default-tenant.ts).
 */
import { FACTORY_FIRMWARE } from '../base-station/base-flash.ts';
import { DEFAULT_TENANT, type TenantSeed } from '../teams-gateway/default-tenant.ts';
import type { AddBaseInput } from './lab.ts';

export const DEFAULT_LAB: { bases: AddBaseInput[]; tenant: TenantSeed } = {
  bases: [{ mac: '0004F2A00001', model: 'B4', firmware: FACTORY_FIRMWARE, powered: true }],
  tenant: DEFAULT_TENANT,
};
