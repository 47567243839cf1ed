/**
 * Where a device is, as the gateway can tell from its own records and the lab's bases: whether it is online and which
 * public IP its traffic comes from (bulk sign-in's online, trusted-IP and duplicate checks, bulk/bulk-checks.ts).
 */
import type { GatewayProfile } from '../gateway-profile.ts';
import type { DeviceWhereabouts } from '../bulk/bulk-checks.ts';
import type { TenantDirectory } from '../tenant/tenant-directory.ts';
import type { LabSite } from '../tenant/tenant-model.ts';
import type { TeamsDevice } from './device-machine.ts';

/** What the gateway asks the lab about the bases devices reach it through (bulk sign-in's online and IP checks). */
export interface LabNetwork {
  /** The base is powered and running (its handsets' traffic reaches the gateway). */
  baseOnline(mac: string): boolean;
  /** The lab site the base stands at (matched to a tenant site by id), if the base is in the lab. */
  siteOfBase(mac: string): string | undefined;
}

export interface WhereaboutsFacts {
  now: number;
  profile: Pick<GatewayProfile, 'bulkOfflineMs'>;
  tenant: TenantDirectory;
  labNetwork: LabNetwork | undefined;
}

/**
 * Online when heard from within `bulkOfflineMs` and — for a device heard through a lab base — that base is powered and
 * running; its public IP is the one of the gateway site its base stands at (a base's lab site names a tenant site; any
 * other base is behind the first site's connection), else of the site recorded by the control API, else of the first
 * site. Two bases heard within `bulkOfflineMs` fetching the same handset's file are two devices with one hardware id:
 * their IPs are the duplicates'.
 */
export function whereaboutsOf(d: TeamsDevice, facts: WhereaboutsFacts): DeviceWhereabouts {
  const { now, profile, tenant, labNetwork } = facts;
  const recent = (at: number | null) => at !== null && now - at <= profile.bulkOfflineMs;
  const sources = (d.sources ?? []).filter((s) => recent(s.at));
  const fallbackSite = (d.siteId ? tenant.site(d.siteId) : undefined) ?? tenant.sites()[0];
  const ipOfBase = (mac: string) => siteForBase(mac, tenant, labNetwork)?.publicIp ?? fallbackSite?.publicIp ?? null;
  const latest = sources[0];
  const baseUp = latest === undefined || labNetwork === undefined || labNetwork.baseOnline(latest.baseMac);
  return {
    online: recent(d.lastContactAt) && baseUp,
    publicIp: latest ? ipOfBase(latest.baseMac) : (fallbackSite?.publicIp ?? null),
    duplicateIps: sources.length > 1 ? sources.map((s) => ipOfBase(s.baseMac) ?? '?') : [],
  };
}

function siteForBase(mac: string, tenant: TenantDirectory, labNetwork: LabNetwork | undefined): LabSite | undefined {
  if (!labNetwork) return undefined;
  const name = labNetwork.siteOfBase(mac);
  return (name !== undefined ? tenant.site(name) : undefined) ?? tenant.sites()[0];
}
