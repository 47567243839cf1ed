/**
 * The embedded default lab a first start creates: what a technician finds before following the guide.
 * One Rove B4 at factory defaults (template `factory`; `calls-demo` adds the lab's SIP server and extensions), with firmware older than Teams needs (8.0.0.x; docs/fidelity.md), and the Contoso
 * Microsoft 365 tenant (src/cloud/teams/tenant/default-tenant.ts).
 */
import { FACTORY_FIRMWARE } from '../devices/base-station/base-flash.ts';
import { DEFAULT_TENANT, type TenantSeed } from '../cloud/teams/tenant/default-tenant.ts';
import type { SipConfig } from '../devices/base-station/sip-config.ts';
import { SIP_DEFAULT_DOMAIN } from '../sip/server/sip-server.ts';
import type { AddBaseInput, AddHandsetInput } from './lab-inputs.ts';
import type { LabTemplate } from './lab-template.ts';

export { isLabTemplate, LAB_TEMPLATES, type LabTemplate } from './lab-template.ts';

/**
 * Four handsets out of the box: two Rove 30 and two Rove 40, powered on, not registered (the guide registers them),
 * with firmware older than Teams needs. Their IPEIs come from the lab's IPEI seed (src/devices/handset/ipei.ts).
 */
export const DEFAULT_HANDSETS: readonly AddHandsetInput[] = [
  { model: 'Rove 30', firmware: FACTORY_FIRMWARE, powered: true },
  { model: 'Rove 30', firmware: FACTORY_FIRMWARE, powered: true },
  { model: 'Rove 40', firmware: FACTORY_FIRMWARE, powered: true },
  { model: 'Rove 40', firmware: FACTORY_FIRMWARE, powered: true },
];

export const DEFAULT_LAB: { bases: AddBaseInput[]; handsets: readonly AddHandsetInput[]; tenant: TenantSeed } = {
  bases: [{ mac: '0004F2A00001', model: 'B4', firmware: FACTORY_FIRMWARE, powered: true }],
  handsets: DEFAULT_HANDSETS,
  tenant: DEFAULT_TENANT,
};

/** The SIP settings a template gives the base (null: factory defaults, nothing configured). */
export function templateSipConfig(template: LabTemplate, ipeis: readonly string[]): SipConfig | null {
  return template === 'calls-demo' ? defaultSipConfig(ipeis) : null;
}

/**
 * The calls-demo lab's SIP: the lab's embedded server and extensions 1001–1004 for the four default handsets, so that two
 * handsets a technician has registered can call each other (and 9999, the echo test). Passwords are the lab's.
 */
export function defaultSipConfig(ipeis: readonly string[]): SipConfig {
  return {
    servers: [{ id: 1, address: SIP_DEFAULT_DOMAIN, port: 5060, transport: 'UDP', registrationExpiry: 3600, outboundProxy: '' }],
    extensions: ipeis.map((ipei, i) => ({
      extension: String(1001 + i),
      authUser: String(1001 + i),
      password: `lab-${1001 + i}`,
      displayName: `Handset ${i + 1}`,
      serverId: 1,
      handset: ipei,
    })),
  };
}
