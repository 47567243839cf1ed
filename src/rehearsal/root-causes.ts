/**
 * Links each failed handset of a rehearsal report to what made it fail, when that is not the handset itself: its
 * base's own error (a mistyped ConfigURL's PRV-01 takes every handset on the base down with it — they must point
 * there, not say "wait for its next ITSP fetch"), the base's ConfigURL without the tenant id or of another region
 * than the tenant's, the tenant's trusted IPs, or the user's account. Also every failing check of a bulk sign-in row
 * (the service reports the first only).
 *
 * Kept apart from report.ts (its types are in report-types.ts, so neither imports the other's types back): it reads the report's device outcomes and adds `rootCause` and `checks` to them, and a
 * summary (`rootCauses`, `checksByError`) the JSON and HTML reports show.
 */
import { BULK_ERRORS } from '../cloud/teams/bulk/bulk-errors.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import { PROVISIONING_HOST, regionOfHost, type Region } from '../cloud/teams/regions.ts';
import type { Lab } from '../lab/lab.ts';
import type { LabDirectory } from './build-lab.ts';
import { meetsTeamsMinimum } from '../devices/base-station/firmware-version.ts';
import { handsetFirmwareTarget, handsetImagePlan } from '../devices/handset/handset-firmware.ts';
import { configUrlHost } from '../devices/base-station/itsp-provisioning.ts';
import { INTERRUPTED_UPDATE, type Recorder } from './recorder.ts';
import { formatDuration } from './duration.ts';
import { fixFor } from './fixes.ts';
import type { DeviceOutcome, RootCause, RootCauseGroup } from './report-types.ts';


export interface RootCauseSummary {
  rootCauses: RootCauseGroup[];
  /** Every failing check of every failed bulk sign-in row, counted (a row with two problems counts in both). */
  checksByError: Record<string, number>;
}

/**
 * Which handset errors each kind of base problem explains — and so may be given the base's cause. A handset's error
 * is only its base's when the base's problem is what stops it: a base that is off takes its handsets' service and
 * everything Teams does for them; a provisioning error (PRV) their files from Teams, so their sign-in and lines; a
 * firmware problem (FWU, an interrupted update) only matters to Teams while the base runs below 8.0.3, the gateway's
 * minimum. None explains a handset that is not registered (the scenario never registered it, or it was
 * deregistered) or one whose own firmware is below the minimum: that one's cause is the base's Rove 30/40 Auto
 * provisioning settings, when they hold it back ({@link heldBackFirmware}).
 */
const TEAMS_SIDE: Array<RegExp | string> = [BULK_ERRORS.DEVICE_OFFLINE, BULK_ERRORS.TAG_MISSING, /no Sign in soft key/, /\bline\b/i, /not supported: Teams needs 8\.0\.3/];
const EXPLAINED_BY: Record<'down' | 'provisioning' | 'firmware', Array<RegExp | string>> = {
  down: [/^no service/, ...TEAMS_SIDE],
  provisioning: TEAMS_SIDE,
  firmware: TEAMS_SIDE,
};
const ACCOUNT_ERRORS: string[] = [
  BULK_ERRORS.NO_PHONE_NUMBER,
  BULK_ERRORS.NO_SIP_CALLING_POLICY,
  BULK_ERRORS.NO_CAP_POLICY,
  BULK_ERRORS.NO_LICENCE,
  BULK_ERRORS.MFA_ENABLED,
  BULK_ERRORS.PASSWORD_WRITEBACK,
  BULK_ERRORS.USER_NOT_FOUND,
];

/** A root cause's kind as the report and the helpdesk word it. */
export const ROOT_CAUSE_KIND_WORDS: Readonly<Record<RootCause['kind'], string>> = { base: 'base', tenant: 'tenant', user: 'user', timing: 'plan timing' };

/** `base PAR-B3: PRV-01 …`, `plan timing: …`: a root cause in one line (helpdesk.csv). */
export function rootCauseText(c: RootCause): string {
  return `${ROOT_CAUSE_KIND_WORDS[c.kind]}${c.subject ? ` ${c.subject}` : ''}: ${c.error}`;
}

function matches(error: string, patterns: Array<RegExp | string>): boolean {
  return patterns.some((p) => (typeof p === 'string' ? error.startsWith(p) : p.test(error)));
}

/**
 * Adds `rootCause` (and `checks`, for a bulk row with more than one failing check) to the failed handsets of
 * `devices`, and returns the causes grouped. A handset's fix becomes its cause's fix.
 */
export function linkRootCauses(devices: DeviceOutcome[], input: { lab: Lab; directory: LabDirectory; recorder: Recorder }): RootCauseSummary {
  const { lab, directory, recorder } = input;
  const bases = new Map(devices.filter((d) => d.kind === 'base').map((d) => [d.name, d]));
  const groups = new Map<string, RootCauseGroup>();
  const checksByError: Record<string, number> = {};
  for (const d of devices) {
    if (d.kind !== 'handset' || d.outcome !== 'failed' || !d.error) continue;
    const named = directory.handsets.get(d.name);
    if (!named) continue;
    const checks = recorder.bulkChecks.get(d.name);
    if (checks) d.checks = checks;
    for (const c of checks ?? (isBulkError(d.error) ? [d.error] : [])) checksByError[c] = (checksByError[c] ?? 0) + 1;
    // The base the handset is subscribed to now (a multi-cell chain's primary holds the system's), not the one the
    // file lists it under: a handset the scenario never registered has no base whose problem could be its own.
    const baseMac = subscribedBase(lab, named.ipei);
    const baseName = baseMac !== undefined ? directory.nameOf(baseMac) : undefined;
    const base = baseName !== undefined ? bases.get(baseName) : undefined;
    const problem = base?.outcome === 'failed' && base.error ? baseProblem(lab, baseMac!, base.error) : null;
    let cause: RootCause | null = null;
    if (base && problem && matches(d.error, EXPLAINED_BY[problem])) {
      cause = { kind: 'base', subject: base.name, error: base.error!, fix: base.fix ?? "Check the base's status page." };
    } else if (HANDSET_BELOW_MINIMUM.test(d.error) && baseMac !== undefined) {
      cause = heldBackFirmware(lab, baseMac, baseName!, named.ipei);
    } else if (d.error.startsWith(BULK_ERRORS.TAG_MISSING) && baseMac !== undefined) {
      const url = lab.bases.get(baseMac)?.flash.settings.configUrl ?? '';
      cause = /\/tenantid\/[^/]+\//i.test(url)
        ? {
            kind: 'timing',
            error: `${BULK_ERRORS.TAG_MISSING}: bulk sign-in before the base fetched the handset's file since the device was added`,
            fix: "Add the devices in Teams admin center, then wait one ITSP interval (the base's itspInterval) before bulk sign-in.",
          }
        : { kind: 'base', subject: baseName!, error: `ConfigURL ${url || '(empty)'} has no /tenantid/<tenant id>/`, fix: fixFor(BULK_ERRORS.TAG_MISSING)! };
    } else if (d.error.startsWith(BULK_ERRORS.DEVICE_NOT_FOUND) && baseMac !== undefined) {
      cause = regionMismatch(lab, baseMac, baseName!, named.ipei, recorder.bulkRegions.get(d.name));
    } else if (d.error.startsWith(BULK_ERRORS.DEVICE_OFFLINE)) {
      cause = offlineCause(lab, named.ipei, recorder.bulkTimes.get(d.name));
    } else if (/Trusted IP|not trusted/.test(d.error)) {
      const ips = lab.teams.tenant.network.trustedIps;
      // The site by name and IP, as plan check names it: the helpdesk can tell which office's IP to add.
      const site = directory.sites.find((x) => x.id === directory.bases.get(named.baseId)?.site);
      cause = {
        kind: 'tenant',
        error: `${site ? `site ${site.name}'s public IP ${site.publicIp}` : "the site's public IP"} is not in the tenant's Trusted IPs (${ips.join(', ') || 'none'})`,
        fix: fixFor('Trusted IP')!,
      };
    } else if (named.user && matches(d.error, ACCOUNT_ERRORS)) {
      const all = checks?.filter((c) => matches(c, ACCOUNT_ERRORS)) ?? [d.error];
      cause = { kind: 'user', subject: named.user, error: all.join(' · '), fix: all.map((c) => fixFor(c)).filter(Boolean).join(' ') };
    }
    if (!cause) continue;
    d.rootCause = cause;
    d.fix = cause.fix;
    const key = `${cause.kind}\u0000${cause.subject ?? ''}\u0000${cause.error}`;
    const group = groups.get(key) ?? { ...cause, handsets: [] };
    group.handsets.push(d.name);
    groups.set(key, group);
  }
  const rootCauses = [...groups.values()].sort((a, b) => b.handsets.length - a.handsets.length || (a.error < b.error ? -1 : 1));
  return { rootCauses, checksByError: Object.fromEntries(Object.entries(checksByError).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** A handset's own firmware below the gateway's minimum, as report.ts words it. */
const HANDSET_BELOW_MINIMUM = /^firmware \S+ below 8\.0\.3 \(Teams minimum\)$/;

/**
 * A handset left below 8.0.3 by its base: the base's Auto provisioning names no image for the handset's model, or an
 * image below 8.0.3, or one the base cannot fetch (no FirmwareServer): the handset updates over the air only to what
 * the base offers. Null when the base offers 8.0.3 or later and could fetch it (the update did not finish: the
 * handset's own outcome says why).
 */
function heldBackFirmware(lab: Lab, mac: string, baseName: string, ipei: string): RootCause | null {
  const base = lab.bases.get(mac);
  const model = lab.handsets.get(ipei)?.record.model;
  if (!base || !model) return null;
  const settings = base.flash.settings;
  const number = model === 'Rove 40' ? '40' : '30';
  const fields = `Rove${number}FwVersion / Rove${number}FwBranch`;
  const fix = `Set Rove${number}FwVersion and Rove${number}FwBranch on the base to 8.0.3 or later (the guide's: 8003 and 0009), with FirmwareServer and FirmwarePath (System Management → Auto provisioning): the handset updates over the air once the base offers the image.`;
  const target = handsetFirmwareTarget(settings, model);
  if (target === null) return { kind: 'base', subject: baseName, error: `Auto provisioning names no ${model} firmware (${fields} empty): its ${model} handsets keep the firmware they came with`, fix };
  if (!meetsTeamsMinimum(target)) return { kind: 'base', subject: baseName, error: `Auto provisioning holds ${model} handsets at ${target} (${fields}), below 8.0.3`, fix };
  const plan = handsetImagePlan(settings, model);
  if (!plan.ok) return { kind: 'base', subject: baseName, error: `the base cannot fetch the ${model} image ${target}: ${plan.message}`, fix };
  return null;
}

/**
 * "Device is offline.": the service had not heard from the device (its base fetching the handset's file) within 2
 * hours when it processed the row. A row processed less than 2 hours after the device was added was never heard from
 * since it was added — the sign-in came too soon, not after a long silence — and is said so.
 */
function offlineCause(lab: Lab, ipei: string, processedAt: number | undefined): RootCause {
  const addedAt = lab.teams.deviceRecord(hardwareIdForIpei(ipei))?.addedAt;
  const since = processedAt !== undefined && addedAt !== undefined ? processedAt - addedAt : undefined;
  const error =
    since !== undefined && since >= 0 && since < lab.teams.profile.bulkOfflineMs
      ? `${BULK_ERRORS.DEVICE_OFFLINE} the bulk sign-in reached the device ${formatDuration(since)} after it was added in Teams admin center, before its base fetched the handset's file (or while the base was down)`
      : `${BULK_ERRORS.DEVICE_OFFLINE} the base had not fetched the handset's file within ${formatDuration(lab.teams.profile.bulkOfflineMs)} before the bulk sign-in (or was down then)`;
  return { kind: 'timing', error, fix: fixFor(BULK_ERRORS.DEVICE_OFFLINE)! };
}

/**
 * "Device not found in records." for a device Teams has, seen through the provisioning server of another region than
 * the bulk sign-in's (the tenant's): the base's ConfigURL names that region's host, so the device is bound there and
 * the tenant's region does not find it (`plan check` says the same before the run). Null when that is not why.
 */
function regionMismatch(lab: Lab, mac: string, baseName: string, ipei: string, bulkRegion: Region | undefined): RootCause | null {
  if (bulkRegion === undefined) return null;
  const url = lab.bases.get(mac)?.flash.settings.configUrl ?? '';
  const host = configUrlHost(url);
  const hostRegion = regionOfHost(host);
  const device = lab.teams.deviceRecord(hardwareIdForIpei(ipei));
  if (!host || !hostRegion || hostRegion === bulkRegion || !device || device.state === 'offboarded') return null;
  if ((device.region ?? device.lastContactRegion) !== hostRegion) return null;
  const wanted = url.replace(new RegExp(host.replace(/\./g, '\\.'), 'i'), PROVISIONING_HOST[bulkRegion]);
  return {
    kind: 'base',
    subject: baseName,
    error: `ConfigURL ${url} is the ${hostRegion} provisioning server; the tenant's devices are in ${bulkRegion} (the bulk sign-in's region)`,
    fix: `Set the base's ConfigURL for the tenant's region, ${bulkRegion}: ${wanted} (System Management → Auto provisioning); once the base has fetched from there (its next ITSP interval), bulk sign-in again.`,
  };
}

/** The MAC of the base that holds the handset's subscription, when the handset and the base both have it. */
function subscribedBase(lab: Lab, ipei: string): string | undefined {
  const mac = lab.handsets.get(ipei)?.record.subscription?.baseMac;
  if (mac === undefined) return undefined;
  return lab.bases.get(mac)?.subscriptions.some((s) => s.ipei === ipei) ? mac : undefined;
}

/** What kind of problem a failed base's error is (report.ts words them), or null when none its handsets could share. */
function baseProblem(lab: Lab, mac: string, error: string): keyof typeof EXPLAINED_BY | null {
  const base = lab.bases.get(mac);
  if (!base) return null;
  if (base.state !== 'running') return 'down';
  // report.ts joins a base's problems with "; ": a provisioning error explains more than a firmware one, wherever it is.
  if (/(?:^|; )PRV-\d/.test(error)) return 'provisioning';
  if (/(?:^|; )FWU-\d/.test(error) || error.startsWith(INTERRUPTED_UPDATE)) return meetsTeamsMinimum(base.flash.firmware) ? null : 'firmware';
  return null;
}

const BULK_WORDS: string[] = Object.values(BULK_ERRORS);

function isBulkError(error: string): boolean {
  return BULK_WORDS.some((w) => error.startsWith(w));
}
