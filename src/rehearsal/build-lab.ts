/**
 * Builds the lab a scenario describes: an in-memory lab file on a paused lab clock, its sites, bases, handsets and
 * tenant, and a directory of the names the scenario uses (`b1`, `b1/2`, `site:hq`) for the devices it made.
 */
import { VirtualClock } from '../kernel/virtual-clock.ts';
import type { BaseSettings } from '../devices/base-station/parameters.ts';
import type { BaseFirmwareProfile } from '../devices/base-station/firmware-profile.ts';
import type { HandsetFirmwareProfile } from '../devices/handset/handset-profile.ts';
import type { HandsetModel } from '../devices/handset/handset-record.ts';
import type { BaseModel } from '../devices/base-station/base-flash.ts';
import { Lab, type LabOrigin } from '../lab/lab.ts';
import { DEFAULT_TENANT } from '../cloud/teams/tenant/default-tenant.ts';
import type { GatewayProfile } from '../cloud/teams/gateway-profile.ts';
import type { Region } from '../cloud/teams/regions.ts';
import type { LabSite, Licence, TeamsUser } from '../cloud/teams/tenant/tenant-model.ts';
import { MULTI_CELL_REBOOT_REASON } from '../devices/base-station/multi-cell.ts';
import { generatedBaseId, generatedHandsetCount, generatedSiteId } from './scenario-names.ts';
import { SeededRandom } from './seeded-random.ts';
import type { TimingDraw } from './runs/timing-variation.ts';
import type { BaseSpec, ChainSpec, CompareSpec, HandsetSpec, Scenario, UserSpec } from './scenario-types.ts';

export const DEFAULT_START = '2026-11-02T09:00:00Z';
export const DEFAULT_SEED = 1;

export interface NamedBase {
  id: string;
  mac: string;
  site: string;
  model?: BaseModel;
}

export interface NamedHandset {
  /** The handset's own id from the file (`reception`, `HS-0042`), else its place `b1/2`: what reports and events call it. */
  id: string;
  /** Its place `b1/2` when the file gave it an id of its own (selectors take both). */
  alias?: string;
  ipei: string;
  baseId: string;
  /** 1-based position on its base: the slot it registers to. */
  index: number;
  user?: string;
}

/** The scenario's names for the lab's devices. */
export class LabDirectory {
  readonly bases = new Map<string, NamedBase>();
  readonly handsets = new Map<string, NamedHandset>();
  readonly baseByMac = new Map<string, NamedBase>();
  readonly handsetByIpei = new Map<string, NamedHandset>();
  readonly sites: LabSite[] = [];
  /** Multi-cell systems of the scenario (`lab.chains`). */
  readonly chains: ChainSpec[] = [];

  addBase(b: NamedBase): void {
    this.bases.set(b.id, b);
    this.baseByMac.set(b.mac, b);
  }

  addHandset(h: NamedHandset): void {
    this.handsets.set(h.id, h);
    if (h.alias) this.handsets.set(h.alias, h);
    this.handsetByIpei.set(h.ipei, h);
  }

  /** Bases a selector names (`*`, `b1`, `site:hq`, or a list). Throws on a name that matches nothing. */
  selectBases(selector: string | string[]): NamedBase[] {
    const out = new Map<string, NamedBase>();
    for (const s of [selector].flat()) {
      if (s === '*') for (const b of this.bases.values()) out.set(b.id, b);
      else if (s.startsWith('site:')) {
        const site = s.slice(5);
        const found = [...this.bases.values()].filter((b) => b.site === site);
        if (found.length === 0) throw new Error(`no base on site "${site}"`);
        for (const b of found) out.set(b.id, b);
      } else {
        const b = this.bases.get(s) ?? this.baseByMac.get(s.replace(/[^0-9A-Fa-f]/g, '').toUpperCase());
        if (!b) throw new Error(`no base "${s}" in the lab`);
        out.set(b.id, b);
      }
    }
    return [...out.values()];
  }

  /** Handsets a selector names (`*`, `b1/*`, `b1/2`, an id, `site:hq`, or a list). */
  selectHandsets(selector: string | string[]): NamedHandset[] {
    const out = new Map<string, NamedHandset>();
    const all = [...this.handsetByIpei.values()];
    for (const s of [selector].flat()) {
      let found: NamedHandset[];
      if (s === '*') found = all;
      else if (s.endsWith('/*')) found = all.filter((h) => h.baseId === s.slice(0, -2));
      else if (s.startsWith('site:')) found = all.filter((h) => this.bases.get(h.baseId)?.site === s.slice(5));
      else {
        const h = this.handsets.get(s) ?? this.handsetByIpei.get(s.toUpperCase());
        found = h ? [h] : [];
      }
      if (found.length === 0) throw new Error(`no handset "${s}" in the lab`);
      for (const h of found) out.set(h.ipei, h);
    }
    return [...out.values()];
  }

  /**
   * Where a handset is registered: on its own base at its position, or — for a base of a multi-cell chain — on the
   * chain's primary (which holds the system's subscriptions), at its position among the chain's handsets (the
   * primary's first, then the other bases' in the chain's order).
   */
  registrationPlace(h: NamedHandset): { baseId: string; slot: number } {
    const chain = this.chains.find((c) => c.bases.includes(h.baseId));
    if (!chain) return { baseId: h.baseId, slot: h.index };
    const order = [chain.primary, ...chain.bases.filter((b) => b !== chain.primary)];
    const handsets = [...this.handsetByIpei.values()];
    let slot = 0;
    for (const baseId of order) {
      if (baseId === h.baseId) return { baseId: chain.primary, slot: slot + h.index };
      slot += handsets.filter((x) => x.baseId === baseId).length;
    }
    return { baseId: h.baseId, slot: h.index };
  }

  /** The scenario's name of a device (base MAC or handset IPEI), or the key itself. */
  nameOf(key: string): string {
    return this.baseByMac.get(key)?.id ?? this.handsetByIpei.get(key)?.id ?? key;
  }
}

export interface BuiltLab {
  lab: Lab;
  directory: LabDirectory;
  region: Region;
  startMs: number;
}

/** Deterministic 6-digit codes and pairing codes from the scenario's seed. */
function randomInt(random: SeededRandom): (max: number) => number {
  return (max) => random.int(max);
}

/** `timing`: the durations one run of `rehearse --runs` drew (runs/timing-variation.ts), over every other override. */
export async function buildLab(
  scenario: Scenario,
  options: { seed: number; variant?: CompareSpec; file?: string; timing?: TimingDraw; madeBy?: LabOrigin['kind'] },
): Promise<BuiltLab> {
  const variant = options.variant;
  const timing = options.timing;
  const startMs = Date.parse(scenario.start ?? DEFAULT_START);
  const random = new SeededRandom(options.seed);
  const clock = new VirtualClock({ start: startMs, paused: true });
  const lab = await Lab.open({
    file: options.file ?? ':memory:',
    clock,
    seedDefaultLab: false,
    ...(options.file ? { building: `the lab of scenario "${scenario.name ?? 'unnamed'}"`, madeBy: { kind: options.madeBy ?? 'rehearsal', scenario: scenario.name ?? 'unnamed' } } : {}),
    ipeiSeed: options.seed,
    profile: variant?.profile ?? scenario.profile ?? 'rove-8.0',
    profileOverrides: { ...scenario.profileOverrides, ...variant?.profileOverrides, ...timing?.base } as Partial<BaseFirmwareProfile>,
    handsetProfile: variant?.handsetProfile ?? scenario.handsetProfile ?? 'rove-8.0',
    handsetProfileOverrides: { ...scenario.handsetProfileOverrides, ...variant?.handsetProfileOverrides, ...timing?.handset } as Partial<HandsetFirmwareProfile>,
    ...(scenario.teamsProfile || timing ? { teamsProfile: { ...scenario.teamsProfile, ...timing?.teams } as Partial<GatewayProfile> } : {}),
    teamsRandom: randomInt(new SeededRandom(options.seed ^ 0x5eed)),
  });
  try {
    const directory = populate(lab, scenario, random);
    if (options.file) {
      // Live, the lab file's devices keep the names the scenario (or the inventory) gave them.
      const sites = new Map(directory.sites.map((s) => [s.id, s.name]));
      lab.setDeviceNames({
        bases: Object.fromEntries([...directory.bases.values()].map((b) => [b.mac, { name: b.id, site: sites.get(b.site) ?? b.site }])),
        handsets: Object.fromEntries([...directory.handsets.values()].map((h) => [h.ipei, h.id])),
      });
      lab.finishBuilding();
    }
    return { lab, directory, region: scenario.lab.region ?? 'EMEA', startMs };
  } catch (err) {
    await lab.close();
    throw err;
  }
}

function populate(lab: Lab, scenario: Scenario, random: SeededRandom): LabDirectory {
  const spec = scenario.lab;
  const directory = new LabDirectory();
  const bases: BaseSpec[] = [...(spec.bases ?? [])];
  const users: UserSpec[] = [...(spec.users ?? [])];
  let sites: LabSite[] = (spec.sites ?? []).map((s) => ({ id: s.id, name: s.name ?? s.id, publicIp: s.publicIp }));

  const g = spec.generate;
  if (g) {
    const siteCount = g.sites ?? (sites.length > 0 ? 0 : 1);
    const generatedSites = Array.from({ length: siteCount }, (_, i) => ({
      id: generatedSiteId(i),
      name: `Site ${i + 1}`,
      publicIp: `198.18.0.${i + 1}`,
    }));
    sites = [...sites, ...generatedSites];
    const siteIds = sites.map((s) => s.id);
    const total = g.handsets ?? g.bases * (g.handsetsPerBase ?? 0);
    const models = g.handsetModels ?? ['Rove 30', 'Rove 40'];
    let n = 0;
    const userCount = g.users === false ? 0 : total;
    const missing = new Set(random.sample(userCount, share(g.accountsMissingNumber, userCount)));
    const unlicensed = new Set(random.sample(userCount, share(g.accountsUnlicensed, userCount)));
    for (let b = 0; b < g.bases; b++) {
      const count = generatedHandsetCount(b, g.bases, total);
      const handsets: HandsetSpec[] = [];
      for (let i = 0; i < count; i++, n++) {
        const model: HandsetModel = models[n % models.length]!;
        const handset: HandsetSpec = { model, ...(g.handsetFirmware ? { firmware: g.handsetFirmware } : {}) };
        if (n < userCount) {
          const upn = `user${String(n + 1).padStart(4, '0')}@contoso.com`;
          handset.user = upn;
          users.push({
            upn,
            displayName: `User ${String(n + 1).padStart(4, '0')}`,
            phoneNumber: missing.has(n) ? null : `+1425${String(1_000_000 + n).padStart(7, '0')}`,
            // Shared handsets: common area phone accounts, as bulk sign-in needs [seed 003].
            licence: unlicensed.has(n) ? null : 'Microsoft Teams Shared Devices',
            callingPolicy: 'SIPDevices',
            ipPhonePolicy: 'CommonAreaPhone',
          });
        }
        handsets.push(handset);
      }
      bases.push({
        id: generatedBaseId(b, g.bases),
        model: g.model ?? 'B4',
        ...(g.firmware ? { firmware: g.firmware } : {}),
        site: siteIds[b % Math.max(1, siteIds.length)] ?? 'default',
        handsets,
      });
    }
  }
  if (sites.length === 0) sites = DEFAULT_TENANT.sites.slice(0, 1);
  directory.sites.push(...sites);
  directory.chains.push(...(spec.chains ?? []));

  const tenantUsers = spec.tenant === 'empty' || (spec.tenant === undefined && g) ? [] : DEFAULT_TENANT.users;
  lab.teams.createTenant({
    tenant: {
      ...DEFAULT_TENANT.tenant,
      network: { trustedIps: spec.trustedIps ?? sites.map((s) => s.publicIp) },
      sipDevicesConfiguration: { identity: 'Global', bulkSignIn: spec.bulkSignIn ?? 'Enabled' },
    },
    users: [...tenantUsers.filter((u) => !users.some((x) => x.upn.toLowerCase() === u.upn.toLowerCase())), ...users.map(toTeamsUser)],
    sites,
  });

  const defaultSite = sites[0]!.id;
  for (const b of bases) {
    const base = lab.addBase({
      model: b.model,
      ...(b.mac ? { mac: b.mac } : {}),
      ...(b.firmware ? { firmware: b.firmware } : {}),
      powered: b.powered ?? true,
      site: b.site ?? defaultSite,
    });
    directory.addBase({ id: b.id, mac: base.mac, site: b.site ?? defaultSite, model: b.model });
    const handsets: HandsetSpec[] = Array.isArray(b.handsets)
      ? b.handsets
      : Array.from({ length: b.handsets?.count ?? 0 }, () => ({
          model: b.handsets && !Array.isArray(b.handsets) && b.handsets.model ? b.handsets.model : 'Rove 30',
          ...(b.handsets && !Array.isArray(b.handsets) && b.handsets.firmware ? { firmware: b.handsets.firmware } : {}),
        }));
    handsets.forEach((h, i) => {
      const handset = lab.addHandset({
        model: h.model,
        ...(h.ipei ? { ipei: h.ipei } : {}),
        ...(h.firmware ? { firmware: h.firmware } : {}),
        site: b.site ?? defaultSite,
        ...(h.name ? { name: h.name } : {}),
      });
      // The company's own id names the handset wherever the file gives one (report, events); its place stays a selector.
      directory.addHandset({
        id: h.id ?? `${b.id}/${i + 1}`,
        ...(h.id ? { alias: `${b.id}/${i + 1}` } : {}),
        ipei: handset.ipei,
        baseId: b.id,
        index: i + 1,
        ...(h.user ? { user: h.user } : {}),
      });
    });
  }
  return directory;
}

/**
 * Sets up the scenario's multi-cell chains as a technician does on each base's DECT → Multi-cell page: once the base's
 * web admin answers, the chain's values are saved and **Save and reboot** pressed (the page's reboot reason); bases
 * side by side. Resolves when every chain base runs its chain and is Locked, with a problem per base that did not
 * get there within `timeoutMs` (10 min by default). `until` waits on the lab clock (the runner's driver).
 */
export async function formChains(
  lab: Lab,
  directory: LabDirectory,
  until: (predicate: () => boolean, maxMs: number) => Promise<boolean>,
  timeoutMs = 10 * 60_000,
): Promise<string[]> {
  const problems: string[] = [];
  const joined = (mac: string) => {
    const base = lab.bases.get(mac)!;
    return base.state === 'running' && !base.status().multiCell.pending && lab.radio.chain(mac).find((r) => r.mac === mac)?.syncState === 'Locked';
  };
  await Promise.all(
    directory.chains.flatMap((chain) =>
      chain.bases.map(async (id) => {
        const mac = directory.bases.get(id)!.mac;
        const base = lab.bases.get(mac)!;
        if (!(await until(() => base.reachable, timeoutMs))) {
          problems.push(`${id} joins multi-cell chain ${chain.id}: the base is ${base.state}, its web admin does not answer`);
          return;
        }
        const values: Partial<BaseSettings> = {
          multiCellSystem: 'Enabled',
          systemChainId: String(chain.id),
          baseRole: id === chain.primary ? 'Primary' : 'Secondary',
          ...(chain.dataSync ? { dataSync: chain.dataSync } : {}),
          ...(chain.systemCombination ? { systemCombination: chain.systemCombination } : {}),
        };
        const saved = base.updateSettings(values);
        if (!saved.ok) {
          problems.push(`${id} joins multi-cell chain ${chain.id}: ${saved.errors.map((e) => e.message).join('; ')}`);
          return;
        }
        base.send({ type: 'REBOOT', reason: MULTI_CELL_REBOOT_REASON });
        if (!(await until(() => joined(mac), timeoutMs))) {
          const row = lab.radio.chain(mac).find((r) => r.mac === mac);
          problems.push(`${id} joins multi-cell chain ${chain.id}: ${base.state}, sync ${row?.syncState ?? 'none'}${row?.problem ? ` (${row.problem})` : ''}`);
        }
      }),
    ),
  );
  return problems;
}

function share(value: string | number | undefined, of: number): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.min(of, value);
  return Math.round((Number(value.slice(0, -1)) / 100) * of);
}

function toTeamsUser(u: UserSpec): Omit<TeamsUser, 'tenantId'> {
  return {
    upn: u.upn,
    displayName: u.displayName ?? u.upn.split('@')[0]!,
    phoneNumber: u.phoneNumber === undefined ? null : u.phoneNumber,
    licence: (u.licence === undefined ? 'Office 365 E5' : u.licence) as Licence | null,
    mfa: u.mfa ?? false,
    password: { mustChangeAtNextLogin: u.mustChangePassword ?? false, cannotChange: false, minimumAgeDays: 0 },
    callingPolicy: u.callingPolicy === undefined ? 'SIPDevices' : u.callingPolicy,
    ipPhonePolicy: u.ipPhonePolicy ?? null,
  };
}
