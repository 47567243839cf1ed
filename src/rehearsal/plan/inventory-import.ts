/**
 * `rove-sim plan import INVENTORY.csv`: a company's own inventory — one line per handset (or per base without
 * handsets) with its site, base, user and number — turned into a scenario file that rehearses the guide's rollout on
 * those devices by their own names, MACs and IPEIs (docs/scenarios.md, "Inventory import").
 *
 * The CSV is read the way the bulk sign-in CSV is (csv-parse: BOM dropped, quotes, any line ending, header names in
 * any order and case, `_`, `-` and spaces alike). Every problem of the file is reported at once with its line, and
 * nothing is written while there is one:
 *
 *     inventory.csv:7: ipei "0328D1234" is not an IPEI: 10 hex digits (…)
 *     inventory.csv:9: base "HQ-B01" is on site "hq" on line 2, not "warehouse": a base is on one site
 *
 * What the file cannot say is assumed and said in the scenario's comments: the guide's firmware (8.0.3.0009), the
 * Teams ConfigURL with the tenant id, one ITSP interval of waiting before bulk sign-in; accounts whose licence or
 * policy columns are absent get the ones a Teams SIP device needs (a present but empty cell means none assigned, so
 * `plan check` and the rehearsal report it).
 */
import { stringify } from 'yaml';
import { PROVISIONING_HOST, type Region } from '../../cloud/teams/regions.ts';
import { checkIpei } from '../../devices/handset/ipei.ts';
import { readCsvRecords } from '../../kernel/csv-records.ts';
import { closestMatch } from '../../kernel/did-you-mean.ts';
import { normalizeMac } from '../../kernel/mac.ts';
import { parseScenario } from '../scenario-loader.ts';
import type { Scenario } from '../scenario-types.ts';

/** The columns, by their documented name; aliases a company's export may use map onto them. */
export const INVENTORY_COLUMNS = {
  site: 'the site the base stands at (required)',
  site_name: "the site's display name",
  public_ip: "the site's public IPv4 address as Teams sees it (empty or absent: one is assumed, 198.18.0.N)",
  base: "the base's name (required)",
  base_mac: "the base's MAC address (12 hex digits, separators allowed)",
  base_model: 'B2 or B4 (default B4)',
  base_firmware: 'the firmware the base runs now (default 8.0.0.0402)',
  handset: "the handset's id (a letter first, then letters, digits, . _ -); empty: a base without handsets on this line",
  ipei: "the handset's IPEI (10 hex digits as the base shows it)",
  handset_model: 'Rove 30 or Rove 40 (default Rove 30)',
  handset_firmware: 'the firmware the handset runs now (default 8.0.0.0402)',
  upn: "the user who signs in on it (the account's UPN)",
  display_name: "the user's display name",
  phone_number: "the user's phone number (+ and 6 to 15 digits; spaces, dashes and brackets dropped); empty: none assigned",
  licence: "the user's licence; empty: none",
  calling_policy: 'the calling policy (one with AllowSIPDevicesCalling); empty: none',
  ip_phone_policy: 'the IP phone policy (SignInMode CommonAreaPhoneSignIn for bulk sign-in); empty: none',
} as const;
export type InventoryColumn = keyof typeof INVENTORY_COLUMNS;

/** By the name docs/scenarios.md gives them ("Also accepted"); matched squashed, as the columns are. */
const ALIASES: Record<string, InventoryColumn> = {
  Site: 'site',
  'Site name': 'site_name',
  'Public IP': 'public_ip',
  'Base name': 'base',
  'Base MAC': 'base_mac',
  MAC: 'base_mac',
  'Base model': 'base_model',
  'Base firmware': 'base_firmware',
  'Handset id': 'handset',
  'Handset IPEI': 'ipei',
  'Handset model': 'handset_model',
  'Handset firmware': 'handset_firmware',
  User: 'upn',
  Username: 'upn',
  UserPrincipalName: 'upn',
  'Display name': 'display_name',
  Number: 'phone_number',
  'Phone number': 'phone_number',
  License: 'licence',
  'Calling policy': 'calling_policy',
  'IP phone policy': 'ip_phone_policy',
};
/** Squashed name → column, and → the name to suggest (the documented name first, so it wins a tie). */
const KEYS = new Map<string, InventoryColumn>();
const SHOWN = new Map<string, string>();
for (const [name, column] of [...Object.keys(INVENTORY_COLUMNS).map((c): [string, InventoryColumn] => [c, c as InventoryColumn]), ...Object.entries(ALIASES)]) {
  if (KEYS.has(squash(name))) continue;
  KEYS.set(squash(name), column);
  SHOWN.set(squash(name), name);
}

/** Assumed when the file has no column for it (a Teams SIP device's account needs them; seeds 000/001). */
const ASSUMED = { licence: 'Microsoft Teams Shared Devices', callingPolicy: 'SIPDevices', ipPhonePolicy: 'CommonAreaPhone' } as const;
const ID = /^[A-Za-z][\w.-]*$/;
const FIRMWARE = /^\d+\.\d+\.\d+\.\d{4}$/;
const PHONE = /^\+\d{6,15}$/;
/** name@domain, the domain with a dot (a tenant's domains are DNS names: contoso.com, contoso.onmicrosoft.com). */
const UPN = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export class InventoryError extends Error {
  readonly code = 'PLAN_INVENTORY_INVALID';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'InventoryError';
  }
}

export interface InventoryImport {
  /** The scenario file's text (comments say what was assumed). */
  text: string;
  scenario: Scenario;
  counts: { sites: number; bases: number; handsets: number; users: number };
}

interface BaseRow {
  line: number;
  site: string;
  mac?: string;
  model: 'B2' | 'B4';
  firmware?: string;
  handsets: Array<{ id: string; ipei?: string; model: 'Rove 30' | 'Rove 40'; firmware?: string; user?: string }>;
}

interface UserRow {
  line: number;
  upn: string;
  displayName?: string;
  phoneNumber: string | null;
  licence?: string | null;
  callingPolicy?: string | null;
  ipPhonePolicy?: string | null;
}

/** Reads the inventory and writes the scenario; throws {@link InventoryError} listing every problem with its line. */
export function importInventory(csv: string, options: { file?: string; name?: string; region?: Region } = {}): InventoryImport {
  const file = options.file ?? 'inventory.csv';
  const problems: string[] = [];
  const say = (line: number, message: string) => problems.push(`${file}:${line}: ${message}`);
  const read = readCsvRecords(csv);
  if (!read.ok) {
    const why = /opening quote/i.test(read.message) ? 'a quoted field is never closed (a " without its closing ")' : `not valid CSV (${read.message})`;
    throw new InventoryError([`${file}:${read.line || 1}: ${why}`]);
  }
  const records = read.records;
  const header = records.shift();
  if (!header) throw new InventoryError([`${file}:1: the file is empty: write a header line (e.g. site,base,base_mac,handset,ipei,upn,phone_number), then one line per handset`]);
  const columns: Array<InventoryColumn | undefined> = header.record.map((name) => {
    const column = KEYS.get(squash(name));
    if (!column && name !== '') {
      // Near a documented name or an accepted one (`Base Nme` → `Base name`), spelt as the docs spell it.
      const near = closestMatch(squash(name), SHOWN.keys());
      say(header.info.lines, `unknown column "${name}"${near ? ` (did you mean "${SHOWN.get(near)}"?)` : ''}: the columns are ${Object.keys(INVENTORY_COLUMNS).join(', ')}`);
    }
    return column;
  });
  const twice = columns.filter((c, i) => c && columns.indexOf(c) !== i);
  for (const c of new Set(twice)) say(header.info.lines, `column ${c} is named twice`);
  for (const required of ['site', 'base'] as const) if (!columns.includes(required)) say(header.info.lines, `the header has no ${required} column (required)`);
  // A header problem does not stop the rows: each is checked for the columns that are known (an unknown column is
  // left out; a missing required one is its one problem, not one per line), so the whole file is listed in one go.
  const has = (c: InventoryColumn) => columns.includes(c);

  const sites = new Map<string, { line: number; name?: string; publicIp?: string }>();
  const bases = new Map<string, BaseRow>();
  const macs = new Map<string, string>();
  const ipeis = new Map<string, string>();
  const handsetIds = new Map<string, number>();
  const users = new Map<string, UserRow>();
  for (const { record, info } of records) {
    const line = info.lines;
    const cell = (c: InventoryColumn): string | undefined => {
      const i = columns.indexOf(c);
      return i >= 0 ? record[i] : undefined;
    };
    const value = (c: InventoryColumn) => cell(c) || undefined;
    // Data past the last column belongs to no column and would be lost without a word (a comma too many, a shifted row).
    if (record.length > columns.length && record.slice(columns.length).some((f) => f.trim() !== '')) {
      say(line, `${record.length} fields where the header has ${columns.length}: "${record.slice(columns.length).join(',')}" belongs to no column (a comma too many, or a column missing from the header?)`);
    }
    // Every check of a line runs whatever else is wrong on it: one mistake does not hide another.
    const site = value('site');
    const baseName = value('base');
    if (has('site') && !site) say(line, 'no site: every line names the site its base stands at');
    if (has('base') && !baseName) say(line, 'no base: every line names its base');
    if (site && !ID.test(site)) say(line, `site "${site}" may have only letters, digits, ".", "_" and "-", a letter first`);
    if (baseName && !ID.test(baseName)) say(line, `base "${baseName}" may have only letters, digits, ".", "_" and "-", a letter first (e.g. ${baseName.replace(/[^\w.-]/g, '-').replace(/^[^A-Za-z]*/, 'B') || 'B01'})`);

    const publicIp = value('public_ip');
    if (publicIp && !IPV4.test(publicIp)) say(line, `public_ip "${publicIp}" is not an IPv4 address`);
    if (site) {
      const knownSite = sites.get(site);
      if (!knownSite) sites.set(site, { line, name: value('site_name'), publicIp });
      else {
        if (publicIp && knownSite.publicIp && publicIp !== knownSite.publicIp) say(line, `site "${site}" has public_ip ${knownSite.publicIp} on line ${knownSite.line}, not ${publicIp}`);
        knownSite.publicIp ??= publicIp;
        knownSite.name ??= value('site_name');
      }
    }

    const macText = value('base_mac');
    const mac = macText === undefined ? undefined : normalizeMac(macText);
    if (macText !== undefined && !mac) say(line, `base_mac "${macText}" is not a MAC address: 12 hex digits, e.g. 0004F2A00001 or 00:04:F2:A0:00:01`);
    const modelText = value('base_model');
    const model = modelText === undefined ? 'B4' : modelText.toUpperCase().replace(/^ROVE\s*/, '');
    if (model !== 'B2' && model !== 'B4') say(line, `base_model "${modelText}" is not a Rove base: B2 or B4`);
    const baseFirmware = value('base_firmware');
    if (baseFirmware && !FIRMWARE.test(baseFirmware)) say(line, `base_firmware "${baseFirmware}" is not a firmware version like 8.0.0.0402`);
    // A line without its base (or without the site column) still has its own values checked; there is no base to
    // compare it with or to add its handset to.
    let base = baseName ? bases.get(baseName) : undefined;
    if (baseName && !base) {
      base = { line, site: site ?? '', mac, model: model === 'B2' ? 'B2' : 'B4', firmware: baseFirmware, handsets: [] };
      bases.set(baseName, base);
      if (mac) {
        const other = macs.get(mac);
        if (other) say(line, `base_mac ${mac} is also base "${other}"'s: each base has its own`);
        else macs.set(mac, baseName);
      }
    } else if (baseName && base) {
      const at = `on line ${base.line}`;
      if (site && base.site && base.site !== site) say(line, `base "${baseName}" is on site "${base.site}" ${at}, not "${site}": a base is on one site`);
      if (mac && base.mac && mac !== base.mac) say(line, `base "${baseName}" has MAC ${base.mac} ${at}, not ${mac}`);
      if (modelText !== undefined && base.model !== model) say(line, `base "${baseName}" is a ${base.model} ${at}, not a ${modelText}`);
      if (mac && !base.mac) base.mac = mac;
      if (site && !base.site) base.site = site;
    }

    const handset = value('handset');
    const upn = value('upn');
    if (!handset) for (const c of ['ipei', 'handset_model', 'handset_firmware', 'upn'] as const) if (value(c)) say(line, `${c} without a handset: name the handset in the handset column`);
    if (handset) {
      if (!ID.test(handset)) say(line, `handset "${handset}" may have only letters, digits, ".", "_" and "-", a letter first (e.g. HS-${handset.replace(/[^\w.-]/g, '')})`);
      const firstLine = handsetIds.get(handset);
      if (firstLine !== undefined) say(line, `handset "${handset}" is also on line ${firstLine}: each handset once`);
      else handsetIds.set(handset, line);
      if (bases.has(handset)) say(line, `handset "${handset}" has the name of a base: names must differ`);
    }
    let ipei: string | undefined;
    const ipeiText = value('ipei');
    if (ipeiText !== undefined) {
      const checked = checkIpei(ipeiText);
      if (!checked.ok) say(line, `ipei "${ipeiText}": ${checked.errors.map((e) => e.message).join('; ')}`);
      else if (ipeis.has(checked.value)) say(line, `IPEI ${checked.value} is also handset "${ipeis.get(checked.value)}"'s: each handset has its own`);
      else if (handset) {
        ipei = checked.value;
        ipeis.set(ipei, handset);
      }
    }
    const handsetModelText = value('handset_model');
    const handsetModel = handsetModelText === undefined ? 'Rove 30' : `Rove ${handsetModelText.replace(/^rove\s*/i, '')}`;
    if (handsetModel !== 'Rove 30' && handsetModel !== 'Rove 40') say(line, `handset_model "${handsetModelText}" is not a Rove handset: Rove 30 or Rove 40`);
    const handsetFirmware = value('handset_firmware');
    if (handsetFirmware && !FIRMWARE.test(handsetFirmware)) say(line, `handset_firmware "${handsetFirmware}" is not a firmware version like 8.0.0.0402`);
    if (handset && base) base.handsets.push({ id: handset, ipei, model: handsetModel === 'Rove 40' ? 'Rove 40' : 'Rove 30', firmware: handsetFirmware, user: upn });

    if (!upn && handset) {
      for (const c of ['display_name', 'phone_number', 'licence', 'calling_policy', 'ip_phone_policy'] as const) if (value(c)) say(line, `${c} without a user: write the user's UPN in the upn column`);
    }
    const goodUpn = upn !== undefined && UPN.test(upn);
    if (upn && handset && !goodUpn) say(line, `upn "${upn}" is not a user principal name (name@domain, e.g. adele@contoso.com)`);
    const phone = value('phone_number');
    if (phone && !PHONE.test(phone.replace(/[\s()-]/g, ''))) say(line, `phone_number "${phone}" is not a phone number: + and 6 to 15 digits, e.g. +14255550101`);
    if (!handset || !upn || !goodUpn) continue;
    const account = (c: 'licence' | 'calling_policy' | 'ip_phone_policy', assumed: string) => (has(c) ? (value(c) ?? null) : assumed);
    const user: UserRow = {
      line,
      upn,
      displayName: value('display_name'),
      phoneNumber: phone ? phone.replace(/[\s()-]/g, '') : null,
      licence: account('licence', ASSUMED.licence),
      callingPolicy: account('calling_policy', ASSUMED.callingPolicy),
      ipPhonePolicy: account('ip_phone_policy', ASSUMED.ipPhonePolicy),
    };
    const known = users.get(upn.toLowerCase());
    if (!known) users.set(upn.toLowerCase(), user);
    else {
      const differs = (['phoneNumber', 'licence', 'callingPolicy', 'ipPhonePolicy'] as const).filter((k) => (cell(columnOf(k)) ?? '') !== '' && user[k] !== known[k]);
      if (differs.length) say(line, `user ${upn} is also on line ${known.line} with another ${differs.map(columnOf).join(', ')}: one account has one of each`);
    }
  }
  if (bases.size === 0 && problems.length === 0) say(header.info.lines + 1, 'no base: write one line per handset (or per base without handsets) under the header');
  if (problems.length) throw new InventoryError(problems);

  const handsetCount = [...bases.values()].reduce((n, b) => n + b.handsets.length, 0);
  const name = options.name ?? `Rollout of ${bases.size} base${bases.size === 1 ? '' : 's'} and ${handsetCount} handset${handsetCount === 1 ? '' : 's'} (${file})`;
  // Teams checks a site's public IP against the tenant's Trusted IPs (every site's, in the scenario): a site the
  // inventory gives none gets one of the benchmarking range, as a generated lab's sites do, and the comments say so.
  const givenIps = new Set([...sites.values()].flatMap((x) => (x.publicIp ? [x.publicIp] : [])));
  const assumedIps: string[] = [];
  let nextIp = 0;
  for (const [id, site] of sites) {
    if (site.publicIp) continue;
    let ip: string;
    do {
      ip = `198.18.${Math.floor(nextIp / 254)}.${(nextIp % 254) + 1}`;
      nextIp++;
    } while (givenIps.has(ip));
    site.publicIp = ip;
    assumedIps.push(`${id} ${ip}`);
  }
  const lab = {
    region: options.region ?? 'EMEA',
    tenant: 'empty',
    sites: [...sites].map(([id, s]) => ({ id, ...(s.name ? { name: s.name } : {}), ...(s.publicIp ? { publicIp: s.publicIp } : {}) })),
    bases: [...bases].map(([id, b]) => ({
      id,
      model: b.model,
      ...(b.firmware ? { firmware: b.firmware } : {}),
      site: b.site,
      ...(b.mac ? { mac: b.mac } : {}),
      handsets: b.handsets.map((h) => ({ id: h.id, ...(h.ipei ? { ipei: h.ipei } : {}), model: h.model, ...(h.firmware ? { firmware: h.firmware } : {}), ...(h.user ? { user: h.user } : {}) })),
    })),
    users: [...users.values()].map((u) => ({
      upn: u.upn,
      ...(u.displayName ? { displayName: u.displayName } : {}),
      phoneNumber: u.phoneNumber,
      licence: u.licence,
      callingPolicy: u.callingPolicy,
      ipPhonePolicy: u.ipPhonePolicy,
    })),
  };
  const assumed = (['licence', 'calling_policy', 'ip_phone_policy'] as const).filter((c) => !has(c));
  const text = [
    `# Made by rove-sim plan import from ${file}: ${sites.size} site${sites.size === 1 ? '' : 's'}, ${bases.size} bases, ${handsetCount} handsets, ${users.size} users.`,
    '# The steps follow the rollout guide (seed 000): firmware 8.0.3.0009 from the Poly server, registration, the',
    "# handsets' update over the air, ITSP provisioning with the Teams ConfigURL (tenant id for bulk sign-in), every",
    '# handset added in Teams admin center, one ITSP interval of waiting (the service needs each base to fetch again after',
    '# the devices were added), then bulk sign-in of every handset with a user. Check it first: rove-sim plan check FILE.',
    ...(assumed.length ? [`# Not in the inventory, assumed for every user: ${assumed.map((c) => `${c} ${ASSUMED[camel(c)]}`).join(', ')}.`] : []),
    ...(assumedIps.length ? [`# Not in the inventory, assumed: public_ip ${assumedIps.join(', ')} (the tenant's Trusted IPs are every site's).`] : []),
    stringify({ name, seed: 1, lab }, { lineWidth: 0 }).trimEnd(),
    stepsText(lab.region, [...bases.values()].reduce((n, b) => n + b.handsets.filter((h) => h.user).length, 0)),
  ].join('\n');
  // The same loader as any scenario file: what was written is a scenario that loads.
  const scenario = parseScenario(text, 'imported scenario');
  return { text, scenario, counts: { sites: sites.size, bases: bases.size, handsets: handsetCount, users: users.size } };
}

/** The guide's rollout steps; with `signIns` handsets that have a user, bulk sign-in and the expectation that all succeed. */
function stepsText(region: Region, signIns: number): string {
  const steps = `steps:
  - name: Every base boots
    waitUntil: { base: "*", state: running }
    timeout: 10m
  - name: Auto provisioning → firmware on every base
    settings:
      bases: "*"
      values:
        firmwareServer: http://downloads.polycom.com/
        firmwarePath: /voice/dect-ip-phones/Rove/
        firmwareMethod: Periodically
        firmwareInterval: 30
        baseFwVersion: 8003
        baseFwBranch: "0009"
        rove30FwVersion: 8003
        rove30FwBranch: "0009"
        rove40FwVersion: 8003
        rove40FwBranch: "0009"
  - name: Every base updates
    waitUntil: { base: "*", state: running, firmware: 8.0.3.0009 }
    timeout: 1h
  - name: Register every handset
    register: { handsets: "*" }
    timeout: 30m
  - name: Every handset updates over the air
    waitUntil: { handset: "*", firmware: 8.0.3.0009, state: in-service }
    timeout: 3h
  - name: ITSP provisioning with the Teams ConfigURL (tenant id for bulk sign-in)
    settings:
      bases: "*"
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://${PROVISIONING_HOST[region]}/tenantid/\${TENANT_ID}/00\${IPEI}.cfg
  - waitUntil: { base: "*", state: running, pendingProvisioningReboots: 0 }
    timeout: 2h
  - name: Teams admin center → add every handset (00 + IPEI)
    teams: { provision: "*" }
  - name: Every base fetches its handsets' files after they were added (one ITSP interval)
    wait: 1h`;
  const sign = `
  - name: Bulk sign-in of every handset with a user, in batches of 100
    teams: { bulkSignIn: { handsets: "*", batchSize: 100 } }
  - name: Bases fetch the users' lines
    wait: 2h
  - expect:
      - { base: "*", state: running }
      - { handset: "*", state: in-service }
  - name: Every base applied its handsets' files (a base's PRV error would stop its handsets' sign-in)
    expect: { base: "*", provisioning: applied }
  - name: Every handset with a user is signed in (rove-sim plan check lists what would stop one)
    expect: { bulkSignIn: { succeeded: ${signIns}, failed: 0 } }`;
  return `${steps}${signIns > 0 ? sign : ''}\n`;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

function columnOf(key: 'phoneNumber' | 'licence' | 'callingPolicy' | 'ipPhonePolicy'): InventoryColumn {
  return ({ phoneNumber: 'phone_number', licence: 'licence', callingPolicy: 'calling_policy', ipPhonePolicy: 'ip_phone_policy' } as const)[key];
}

function camel(c: 'licence' | 'calling_policy' | 'ip_phone_policy'): keyof typeof ASSUMED {
  return ({ licence: 'licence', calling_policy: 'callingPolicy', ip_phone_policy: 'ipPhonePolicy' } as const)[c];
}
