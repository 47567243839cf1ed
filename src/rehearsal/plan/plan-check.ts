/**
 * The pre-flight of a rollout plan (`rove-sim plan check`): every problem the scenario file shows before anything
 * runs, for every user and every device — all of them, not the first of each — each in the words the service or the
 * base would show (Microsoft's bulk sign-in errors, the base's PRV/FWU codes) with what to change.
 *
 * It builds the scenario's lab (in memory, on a paused clock: nothing boots) for the names, IPEIs and the tenant, then
 * walks the steps in order, keeping what each settings step would save on each base and the lab time the waits and
 * `at:` add up to (a `waitUntil` or `register` counts as no time — what it waits for is unknown here — except a wait
 * for the bases' provisioning reboots, whose length the base's profile fixes). Found:
 *
 * - each signing-in user's account: no phone number, no Teams Phone licence, a calling policy without SIP devices, and
 *   for bulk sign-in an IP phone policy that is not CommonAreaPhoneSignIn, MFA on, password options (sign-in-checks.ts);
 * - a base whose ConfigURL names a host that does not resolve (PRV-01: every handset on it), of another region than
 *   the sign-in, without the `/tenantid/<tenant id>/` bulk sign-in needs, or without `${IPEI}`;
 * - a firmware server that does not resolve (FWU-01) or a firmware file it does not have (FWU-03);
 * - the bulk sign-in rows the rehearsal sends (bulk-rows.ts, the same seed): each planted mistake's row with the
 *   service's error, its account not counted (the service reports a row's first error; `then` says what is next);
 * - bulk sign-in of handsets never added in Teams admin center, never registered, on an untrusted site, or sent
 *   processed before their bases fetched the handset's file after the device was added ("BulkSignIn Tag missing" /
 *   "Device is offline": with the wait needed; the fetches timed as the base makes them, {@link fetchesAfter});
 * - more handsets on a base than it has slots; handsets whose firmware stays below the Teams minimum.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BULK_ERRORS, type BulkErrorCode } from '../../cloud/teams/bulk/bulk-errors.ts';
import { ipeiOf } from '../../cloud/teams/devices/hardware-id.ts';
import { describeCsvProblems, parseBulkHardwareId, parseBulkSignInCsv } from '../../cloud/teams/bulk/bulk-csv.ts';
import { bulkBatches, bulkCsvText, stepsRandom, type BulkRow } from '../steps/teams/bulk-rows.ts';
import { PROVISIONING_HOST, regionOfHost, type Region } from '../../cloud/teams/regions.ts';
import { signInProblems, type SignInMode } from '../../cloud/teams/tenant/sign-in-checks.ts';
import { isTrustedIp, type Tenant, type TeamsUser } from '../../cloud/teams/tenant/tenant-model.ts';
import { bulkAccountProblems } from '../../cloud/teams/bulk/bulk-checks.ts';
import { DEFAULT_FIRMWARE_ROOT } from '../../cloud/firmware-server/firmware-server.ts';
import type { BaseSettings } from '../../devices/base-station/parameters.ts';
import { FIRMWARE_ERRORS, firmwareFileName, firmwareUrl } from '../../devices/base-station/firmware-update.ts';
import { meetsTeamsMinimum, toDotted } from '../../devices/base-station/firmware-version.ts';
import { configUrlHost, PROVISIONING_ERRORS } from '../../devices/base-station/itsp-provisioning.ts';
import { closestMatch, didYouMean } from '../../kernel/did-you-mean.ts';
import { buildLab, DEFAULT_SEED, type LabDirectory, type NamedHandset } from '../build-lab.ts';
import { parseDuration, formatDuration } from '../duration.ts';
import { fixFor } from '../fixes.ts';
import type { Scenario } from '../scenario-types.ts';
import type { Lab } from '../../lab/lab.ts';
import { stepName } from '../runner.ts';

/** What a problem is grouped under; a site by its name (the untrusted public IP is the site's connection). */
export type PlanSubjectKind = 'user' | 'base' | 'handset' | 'step' | 'tenant' | 'site';

export interface PlanProblem {
  /** error: the plan fails there; warning: it may, depending on what the file cannot tell (how long a wait takes). */
  severity: 'error' | 'warning';
  subject: { kind: PlanSubjectKind; name: string };
  /** Stable code: the service's (NO_PHONE_NUMBER, TAG_MISSING…), the base's (PRV-01, FWU-03) or the plan's (BULK_TOO_EARLY…). */
  code: string;
  /** What the service, the base or the handset would show. */
  error: string;
  fix: string;
  /** Where in the plan: `lab.users`, `step 7 "Bulk sign-in"`. */
  at?: string;
  /** The handsets it takes down (a base's problem: every handset on it). */
  handsets?: string[];
  /**
   * A bulk sign-in row refused for its own mistake (a malformed or duplicate hardware id, an unknown device): what
   * the row's account would fail with next. The service reports a row's first error only, so these are not counted
   * as the rehearsal's errors, but they are what is left once the row is fixed.
   */
  then?: Array<{ error: string; fix: string }>;
}

export interface PlanCheckResult {
  scenario: string;
  counts: { users: number; bases: number; handsets: number };
  errors: number;
  warnings: number;
  problems: PlanProblem[];
}

/** Hosts the lab resolves: the firmware server and the Teams provisioning servers. */
const FIRMWARE_HOST = 'downloads.polycom.com';
const PROVISIONING_HOSTS = Object.values(PROVISIONING_HOST);

interface BaseState {
  settings: Partial<BaseSettings>;
  /** Step where the ConfigURL was set (for `at`). */
  configAt?: string;
  /**
   * The base's ITSP fetches as the plan can time them (see {@link fetchesAfter}): the lab time its provisioning round
   * was started again (a settings step, a new handset), and the reboots a new ConfigURL costs first.
   */
  fetching?: { start: number; reboots: number };
}

/** The settings the base's ITSP provisioning round starts again for (base-machine.ts `announceSettingsChange`). */
const PROVISIONING_KEYS: Array<keyof BaseSettings> = ['itspMethod', 'itspInterval', 'provisioningOption', 'configUrl'];

export async function checkPlan(scenario: Scenario): Promise<PlanCheckResult> {
  const seed = scenario.seed ?? DEFAULT_SEED;
  const built = await buildLab(scenario, { seed });
  try {
    return analyse(scenario, built.lab, built.directory, built.region, seed);
  } finally {
    await built.lab.close();
  }
}

function analyse(scenario: Scenario, lab: Lab, directory: LabDirectory, region: Region, seed: number): PlanCheckResult {
  /** The steps' randomness, drawn by the main run's bulk sign-in steps in order, as in the rehearsal. */
  const random = stepsRandom(seed);
  const teams = lab.teams;
  const slots = lab.profile.handsetSlots;
  const problems: PlanProblem[] = [];
  // Followed as the steps change it (Trusted IPs, bulk sign-in, a user's account): the rows after see the change.
  let tenant = teams.tenant;
  const bases = new Map<string, BaseState>([...directory.bases.keys()].map((id) => [id, { settings: {} }]));
  const handsetsOf = (baseId: string) => [...directory.handsetByIpei.values()].filter((h) => directory.registrationPlace(h).baseId === baseId || h.baseId === baseId);
  const registered = new Set<string>();
  const provisionedAt = new Map<string, number>();
  const signIns = new Map<string, SignInEntry>();
  /** Problems already reported for a base (the same mistyped URL in two steps is one problem). */
  const seen = new Set<string>();
  const once = (key: string, p: PlanProblem) => {
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  };

  for (const [id, b] of directory.bases) {
    const count = [...directory.handsetByIpei.values()].filter((h) => h.baseId === id).length;
    if (count > slots) {
      problems.push({
        severity: 'error',
        subject: { kind: 'base', name: id },
        code: 'TOO_MANY_HANDSETS',
        error: `${count} handsets on a base with ${slots} handset slots: the last ${count - slots} cannot register ("no free slot")`,
        fix: `Move ${count - slots} handsets to another base of site ${b.site}, or add a base.`,
        at: 'lab.bases',
      });
    }
  }

  let t = 0;
  scenario.steps.forEach((step, i) => {
    const where = `step ${i + 1} "${stepName(step, i)}"`;
    const at = step.at !== undefined ? parseDuration(step.at) : undefined;
    if (at !== undefined) t = Math.max(t, at);
    if ('wait' in step) {
      t += parseDuration(step.wait) ?? 0;
      return;
    }
    if ('fault' in step) {
      // What a planted fault does is for the rehearsal to show (when it strikes, for how long, what recovers): plan
      // check says it leaves it out rather than let its silence read as "no problem".
      problems.push({
        severity: 'warning',
        subject: { kind: 'step', name: where },
        code: 'FAULT_NOT_PREDICTED',
        error: `The fault ${step.fault.type}${step.fault.id ? ` (${step.fault.id})` : ''} is not predicted here: what it breaks shows in the rehearsal.`,
        fix: 'Rehearse the plan (rove-sim rehearse FILE) to see what the fault does.',
        at: where,
      });
      return;
    }
    if ('waitUntil' in step) {
      // Waiting for the bases' provisioning reboots to be over ends when the last of them is running again: a time
      // the plan knows (the reboots a new ConfigURL costs take a fixed time each). Other waits count as none.
      for (const c of [step.waitUntil].flat()) {
        if (!('base' in c) || c.pendingProvisioningReboots === undefined) continue;
        for (const b of safeSelect(() => directory.selectBases(c.base))) {
          const f = bases.get(b.id)!.fetching;
          if (f) t = Math.max(t, f.start + f.reboots * rebootCycleMs(lab.profile));
        }
      }
      return;
    }
    if ('settings' in step) {
      const values = Object.fromEntries(
        Object.entries(step.settings.values).map(([k, v]) => [k, String(v).replaceAll('${TENANT_ID}', tenant.id)]),
      ) as Partial<BaseSettings>;
      for (const b of safeSelect(() => directory.selectBases(step.settings.bases))) {
        const state = bases.get(b.id)!;
        const before = state.settings;
        state.settings = { ...state.settings, ...values };
        if (PROVISIONING_KEYS.some((k) => k in values)) {
          const target = provisioningTargetOf(state.settings);
          state.fetching = target && fetchIntervalMs(state.settings) !== null ? { start: t, reboots: target !== provisioningTargetOf(before) ? lab.profile.configUrlChangeReboots : (state.fetching?.reboots ?? 0) } : undefined;
        }
        if (values.configUrl !== undefined) state.configAt = where;
        checkFirmware(b.id, state.settings, where, directory, handsetsOf(b.id), once);
      }
      return;
    }
    if ('register' in step) {
      for (const h of safeSelect(() => directory.selectHandsets(step.register.handsets))) {
        registered.add(h.id);
        // A new handset makes a base that waits for its next round fetch shortly after (profile
        // fetchOnNewSubscription); the round starts again from that fetch.
        const state = bases.get(directory.registrationPlace(h).baseId)!;
        const f = state.fetching;
        if (f && lab.profile.fetchOnNewSubscription && t >= f.start + f.reboots * rebootCycleMs(lab.profile) + lab.profile.provisioningFirstFetchMs) {
          state.fetching = { start: t + lab.profile.newSubscriptionFetchMs - lab.profile.provisioningFirstFetchMs, reboots: 0 };
        }
      }
      return;
    }
    if (!('teams' in step)) return;
    const action = step.teams;
    // The tenant changes of Teams admin steps, made on this plan's own lab as the rehearsal makes them (steps/teams.ts).
    try {
      if ('trustedIps' in action) teams.setTrustedIps(action.trustedIps);
      if ('setBulkSignIn' in action) teams.setBulkSignIn(action.setBulkSignIn);
      if ('updateUser' in action) {
        const { upn, ...patch } = action.updateUser;
        teams.updateUser(upn, patch as Parameters<typeof teams.updateUser>[1]);
      }
    } catch (err) {
      problems.push({ severity: 'error', subject: { kind: 'step', name: where }, code: 'TEAMS_STEP', error: (err as Error).message, fix: 'Correct the step: the rehearsal stops at the same error.', at: where });
    }
    tenant = teams.tenant;
    if ('provision' in action) for (const h of safeSelect(() => directory.selectHandsets(action.provision))) if (!provisionedAt.has(h.id)) provisionedAt.set(h.id, t);
    if ('signIn' in action) {
      for (const h of safeSelect(() => directory.selectHandsets(action.signIn))) {
        const upn = action.user ?? h.user;
        if (upn) noteSignIn(signIns, upn, 'interactive', h.id, where);
        checkHandsetReady(h, where, 'interactive', registered, provisionedAt, once);
        checkHandsetFirmware(lab, h, bases.get(directory.registrationPlace(h).baseId)!.settings, where, once);
      }
    }
    if ('bulkSignIn' in action) {
      const spec = action.bulkSignIn;
      const bulkRegion = spec.region ?? region;
      if (tenant.sipDevicesConfiguration.bulkSignIn === 'Disabled') {
        problems.push({ severity: 'error', subject: { kind: 'tenant', name: tenant.id }, code: 'BULK_SIGN_IN_DISABLED', error: 'Bulk sign-in is disabled for the tenant (TeamsSipDevicesConfiguration BulkSignIn Disabled).', fix: 'Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled (lab.bulkSignIn or a setBulkSignIn step) before the bulk sign-in.', at: where });
      }
      const late = new Map<string, { wait: number; handsets: string[] }>();
      const rowMs = teams.profile.bulkRowProcessingMs;
      /** A row the service gets as far as the handset and the account (no planted mistake refused it first). */
      const checkRow = (h: NamedHandset, upn: string, batchSize: number, processedAt: number): void => {
        noteSignIn(signIns, upn, 'bulk', h.id, where, batchSize);
        if (!checkHandsetReady(h, where, 'bulk', registered, provisionedAt, once)) return;
        const baseId = directory.registrationPlace(h).baseId;
        const s = bases.get(baseId)!.settings;
        checkHandsetFirmware(lab, h, s, where, once);
        const url = s.configUrl ?? '';
        const host = configUrlHost(url);
        const hostRegion = regionOfHost(host);
        if (hostRegion && hostRegion !== bulkRegion) {
          once(`region:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'DEVICE_NOT_FOUND', error: `${BULK_ERRORS.DEVICE_NOT_FOUND} The base's ConfigURL is the ${hostRegion} provisioning server; the bulk sign-in is for ${bulkRegion}.`, fix: `Use the same region: ConfigURL http://${PROVISIONING_HOST[bulkRegion]}/… or bulk sign-in with -Region ${hostRegion}.`, at: where, handsets: handsetsOf(baseId).map((x) => x.id) });
        }
        if (hostRegion && !/\/tenantid\/[^/]+\//i.test(url)) {
          once(`tag:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'TAG_MISSING', error: `${BULK_ERRORS.TAG_MISSING} — the base's ConfigURL ${url} has no /tenantid/<tenant id>/`, fix: fixFor(BULK_ERRORS.TAG_MISSING)!, at: bases.get(baseId)!.configAt ?? where, handsets: handsetsOf(baseId).map((x) => x.id) });
        } else if (hostRegion) {
          const tag = /\/tenantid\/([^/]+)\//i.exec(url)![1]!;
          if (tag.toLowerCase() !== tenant.id.toLowerCase()) {
            once(`tenant:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'IP_NOT_TRUSTED', error: `${BULK_ERRORS.IP_NOT_TRUSTED} — the ConfigURL's tenant id ${tag} is not the tenant's (${tenant.id})`, fix: 'Write ${TENANT_ID} (or the tenant id) in the ConfigURL: /tenantid/${TENANT_ID}/.', at: bases.get(baseId)!.configAt ?? where, handsets: handsetsOf(baseId).map((x) => x.id) });
          }
        }
        const site = directory.sites.find((x) => x.id === directory.bases.get(h.baseId)!.site);
        if (site && !isTrustedIp(tenant.network.trustedIps, site.publicIp)) {
          once(`trusted:${site.id}`, { severity: 'error', subject: { kind: 'site', name: site.name }, code: 'IP_NOT_TRUSTED', error: `${BULK_ERRORS.IP_NOT_TRUSTED} — the site's public IP ${site.publicIp} is not in the tenant's Trusted IPs (${tenant.network.trustedIps.join(', ') || 'none'})`, fix: fixFor('Trusted IP')!, at: where, handsets: [...directory.handsetByIpei.values()].filter((x) => directory.bases.get(x.baseId)!.site === site.id).map((x) => x.id) });
        }
        if (!url || s.provisioningOption !== 'ConfigURL') {
          once(`noconfig:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'NO_CONFIG_URL', error: `${BULK_ERRORS.DEVICE_OFFLINE} — the base has no ConfigURL (ITSP provisioning) when the bulk sign-in runs: its handsets never fetch from Teams`, fix: 'Set Provisioning option ConfigURL and the Teams ConfigURL (System Management → Auto provisioning) in a settings step before the bulk sign-in.', at: where, handsets: handsetsOf(baseId).map((x) => x.id) });
        }
        if (!hostRegion) return; // the ConfigURL problem is reported with the base
        const f = bases.get(baseId)!.fetching;
        const interval = fetchIntervalMs(s);
        if (!f || interval === null) return;
        // The service needs the base to have fetched the handset's file since the device was added (the fetch carries
        // the tag and is the device's first contact): the first fetch after it must come before this step.
        const added = provisionedAt.get(h.id)!;
        // The row is checked when the service gets to it. A base in a provisioning reboot still counts as online
        // (lab.ts `baseOnline`: a reboot is too short for the gateway to call it offline).
        const next = fetchesAfter(f, interval, lab.profile, added);
        // A fetch due the very moment the service gets to the row comes first: its timer was set long before the row's.
        if (next <= processedAt) return;
        const entry = late.get(baseId) ?? { wait: 0, handsets: [] };
        entry.wait = Math.max(entry.wait, next - added);
        entry.handsets.push(h.id);
        late.set(baseId, entry);
      };
      const noUser = (h: NamedHandset) =>
        once(`nouser:${h.id}`, { severity: 'warning', subject: { kind: 'handset', name: h.id }, code: 'NO_USER', error: 'The handset has no user: it is left out of the bulk sign-in.', fix: 'Give the handset its user (user: in the file, or the user column of the inventory).', at: where });
      /** Each row as the service takes it: a row's own mistake refuses it first, else its handset and account are checked. */
      const checkBatches = (batches: BulkRow[][]): void => {
        // When the service gets to each row: one row every bulkRowProcessingMs, at most bulkMaxConcurrentPerRegion
        // batches at once, the next submitted when one completes (steps/teams/bulk-sign-in.ts).
        const created: number[] = [];
        const completed: number[] = [];
        batches.forEach((batch, b) => {
          const k = teams.profile.bulkMaxConcurrentPerRegion;
          created[b] = b < k ? t : completed.slice(0, b).sort((x, y) => x - y)[b - k]!;
          completed[b] = created[b]! + batch.length * rowMs;
        });
        batches.forEach((batch, b) => {
          const ids = new Map<string, number>();
          for (const row of batch) {
            const id = parseBulkHardwareId(row.hardwareId)?.hardwareId;
            if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
          }
          batch.forEach((row, r) => {
            const rowAt = `${where}, ${batches.length > 1 ? `batch ${b + 1} ` : ''}row ${r + 1} (${row.userName}, ${row.hardwareId})`;
            const refused = rowRefusal(row, ids, directory, teams.user(row.userName));
            if (!refused) return checkRow(handsetOfRow(row, directory)!, row.userName, batch.length, created[b]! + (r + 1) * rowMs);
            const user = teams.user(row.userName);
            const then = refused.code !== 'USER_NOT_FOUND' && user ? accountProblems(tenant, user, { mode: 'bulk', batchSize: batch.length }).map(({ error, fix }) => ({ error, fix })) : [];
            problems.push({
              severity: 'error',
              subject: refused.code === 'USER_NOT_FOUND' ? { kind: 'user', name: row.userName } : { kind: 'handset', name: row.device ?? row.hardwareId },
              code: refused.code,
              error: refused.error,
              // A mistyped UPN (contso.com) is near the account meant: named, as the loader names a mistyped base.
              fix: refused.code === 'USER_NOT_FOUND' ? `${fixFor(refused.error)!}${upnSuggestion(row.userName, teams.users())}` : fixFor(refused.error)!,
              at: rowAt,
              ...(refused.code === 'USER_NOT_FOUND' && row.device ? { handsets: [row.device] } : {}),
              ...(then.length ? { then } : {}),
            });
          });
        });
      };
      if (spec.csv !== undefined) {
        // The file as the step sends it and the service reads it (bulk-csv.ts).
        const parsed = parseBulkSignInCsv(bulkCsvText(spec.csv, directory), { maxDevices: teams.profile.bulkMaxDevices });
        if (!parsed.ok) {
          problems.push({ severity: 'error', subject: { kind: 'step', name: where }, code: 'BULK_CSV_INVALID', error: `The bulk sign-in file is refused as a whole: ${describeCsvProblems(parsed.problems)}`, fix: 'Write the file as New-CsSdgBulkSignInRequest reads it: the header Username,HardwareId, then one row per device (at most 100).', at: where });
        } else {
          checkBatches([parsed.rows.map((r) => {
            const row: BulkRow = { userName: r.userName, hardwareId: r.hardwareId };
            const h = handsetOfRow(row, directory);
            return h ? { ...row, device: h.id } : row;
          })]);
        }
      } else {
        for (const h of safeSelect(() => directory.selectHandsets(spec.handsets ?? '*'))) if (!h.user) noUser(h);
        // The very rows the rehearsal sends, planted mistakes included (the same seed, the same draw of positions).
        checkBatches(safeSelect(() => bulkBatches(spec, directory, step.run === 'compare' ? stepsRandom(seed) : random)));
      }
      if (late.size > 0) {
        const wait = Math.max(...[...late.values()].map((x) => x.wait));
        const all = [...late.values()].flatMap((x) => x.handsets);
        const gap = t - Math.min(...all.map((id) => provisionedAt.get(id)!));
        // A whole minute past the fetch: the step after a `wait` must find the fetch done.
        const suggest = (Math.floor(wait / 60_000) + 1) * 60_000;
        problems.push({
          severity: 'warning',
          subject: { kind: 'step', name: where },
          code: 'BULK_TOO_EARLY',
          error:
            `${BULK_ERRORS.TAG_MISSING} / ${BULK_ERRORS.DEVICE_OFFLINE} — the bulk sign-in comes ${gap === 0 ? 'right' : formatDuration(gap)} after the devices were added; ` +
            `the ${late.size === 1 ? 'base' : `${late.size} bases`} of ${all.length === 1 ? 'its handset' : `its ${all.length} handsets`} ${late.size === 1 ? 'fetches' : 'fetch'} the handsets' files next ${formatDuration(wait)} after that, and a row the service reaches before its base has fetched the handset's file since the device was added fails (${all.length === 1 ? 'this row is' : `these ${all.length} rows are`} at risk; one reached after the fetch signs in)`,
          fix: `Wait at least ${formatDuration(wait)} after adding the devices (a \`wait: ${formatDuration(suggest)}\` step before this one) so every base has fetched once.`,
          at: where,
          handsets: all,
        });
      }
    }
  });

  // The ConfigURL and the firmware of each base as the plan leaves them.
  for (const [id, state] of bases) {
    const url = state.settings.configUrl;
    if (!url || state.settings.provisioningOption === 'Disabled') continue;
    const host = configUrlHost(url);
    const affected = handsetsOf(id).map((h) => h.id);
    if (host && !PROVISIONING_HOSTS.includes(host) && host !== FIRMWARE_HOST) {
      once(`prv01:${id}`, { severity: 'error', subject: { kind: 'base', name: id }, code: 'PRV-01', error: `PRV-01 ${PROVISIONING_ERRORS['PRV-01']} — ${host}${didYouMean(host, PROVISIONING_HOSTS)}`, fix: fixFor('PRV-01')!, at: state.configAt ?? 'steps', handsets: affected });
    } else if (!url.includes('${IPEI}') && regionOfHost(host)) {
      once(`ipei:${id}`, { severity: 'error', subject: { kind: 'base', name: id }, code: 'PRV-03', error: `PRV-03 ${PROVISIONING_ERRORS['PRV-03']} — the ConfigURL ${url} names no handset's file (00\${IPEI}.cfg)`, fix: fixFor('PRV-03')!, at: state.configAt ?? 'steps', handsets: affected });
    }
  }

  // Each signing-in user's account, every check, in the words the rehearsal's report shows (a bulk row's error, the
  // device's refusal of an interactive sign-in) and with the report's fix for those words.
  for (const [upn, s] of signIns) {
    for (const p of accountProblems(tenant, teams.user(upn), s)) {
      problems.push({ severity: 'error', subject: { kind: 'user', name: upn }, code: p.code, error: p.error, fix: p.fix, at: s.at, handsets: [...s.handsets] });
    }
    // Teams lets one account sign in on several phones, so it is no error; in an inventory it is usually a slip.
    if (s.handsets.size > 1) {
      problems.push({
        severity: 'warning',
        subject: { kind: 'user', name: upn },
        code: 'USER_ON_SEVERAL_HANDSETS',
        error: `The user signs in on ${s.handsets.size} handsets (${[...s.handsets].join(', ')}): one account, one number, on each.`,
        fix: 'If each handset is for someone else, give each its own user; a shared phone is better a common-area account per handset.',
        at: s.at,
        handsets: [...s.handsets],
      });
    }
  }

  const order: Record<PlanSubjectKind, number> = { tenant: 0, site: 1, base: 2, step: 3, user: 4, handset: 5 };
  problems.sort((a, b) => order[a.subject.kind] - order[b.subject.kind] || (a.subject.name < b.subject.name ? -1 : a.subject.name > b.subject.name ? 1 : 0));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    scenario: scenario.name,
    counts: { users: signIns.size, bases: directory.bases.size, handsets: directory.handsetByIpei.size },
    errors,
    warnings: problems.length - errors,
    problems,
  };
}

interface SignInEntry {
  mode: SignInMode;
  handsets: Set<string>;
  at: string;
  /** Rows of the largest bulk request the user is in (on-premises AD throttling depends on it). */
  batchSize: number;
}

function noteSignIn(map: Map<string, SignInEntry>, upn: string, mode: SignInMode, handset: string, at: string, batchSize = 0): void {
  const key = upn.toLowerCase();
  const entry = map.get(key) ?? { mode, handsets: new Set<string>(), at, batchSize };
  if (mode === 'bulk') entry.mode = 'bulk'; // bulk checks more: a user signed in both ways gets them all
  entry.batchSize = Math.max(entry.batchSize, batchSize);
  entry.handsets.add(handset);
  map.set(key, entry);
}

/**
 * A user's problems as the rehearsal reports them: a bulk sign-in row's errors (bulk-checks.ts, the service's words),
 * or what the device shows when an interactive sign-in is refused (sign-in-checks.ts); each with the report's fix for
 * those words (fixes.ts), so that the pre-flight and the report say the same.
 */
export function accountProblems(tenant: Tenant, user: TeamsUser | undefined, s: Pick<SignInEntry, 'mode' | 'batchSize'>): Array<{ code: string; error: string; fix: string }> {
  if (s.mode === 'bulk') {
    const found = user ? bulkAccountProblems(tenant, user, s.batchSize) : [{ code: 'USER_NOT_FOUND', error: BULK_ERRORS.USER_NOT_FOUND }];
    return found.map((p) => ({ code: p.code, error: p.error, fix: fixFor(p.error) ?? ACCOUNT_FIX }));
  }
  return signInProblems(tenant, user, 'interactive').map((p) => ({ code: p.code, error: p.message, fix: fixFor(p.message) ?? p.fix }));
}

/** For an account error the report has no fix for (the on-premises AD errors). */
const ACCOUNT_FIX = "Check the account's on-premises AD sync and password writeback (Microsoft Entra Connect).";

/**
 * The firmware a handset runs when it signs in: the version its base's Auto provisioning names for its model (the
 * update over the air), else the one it came with. Below 8.0.3 Teams does not take it.
 */
function checkHandsetFirmware(lab: Lab, h: NamedHandset, s: Partial<BaseSettings>, where: string, once: (key: string, p: PlanProblem) => void): void {
  const record = lab.handsets.get(h.ipei)?.record;
  if (!record) return;
  const [version, branch] = record.model === 'Rove 40' ? [s.rove40FwVersion, s.rove40FwBranch] : [s.rove30FwVersion, s.rove30FwBranch];
  const firmware = version && branch && s.firmwareServer ? toDotted({ version, branch }) : record.firmware;
  if (meetsTeamsMinimum(firmware)) return;
  once(`firmware:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'FIRMWARE_BELOW_TEAMS', error: `firmware ${firmware} below 8.0.3 (Teams minimum)`, fix: fixFor('below 8.0.3')!, at: where });
}

/** Registered and added in Teams admin center before it signs in; false when not (already reported). */
function checkHandsetReady(h: NamedHandset, where: string, mode: SignInMode, registered: Set<string>, provisioned: Map<string, number>, once: (key: string, p: PlanProblem) => void): boolean {
  let ready = true;
  if (!registered.has(h.id)) {
    once(`unregistered:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'NOT_REGISTERED', error: 'not registered to a base', fix: fixFor('not registered')!, at: where });
    ready = false;
  }
  if (mode === 'bulk' && !provisioned.has(h.id)) {
    once(`notfound:${h.id}`, { severity: 'error', subject: { kind: 'handset', name: h.id }, code: 'DEVICE_NOT_FOUND', error: BULK_ERRORS.DEVICE_NOT_FOUND, fix: fixFor(BULK_ERRORS.DEVICE_NOT_FOUND)!, at: where });
    ready = false;
  }
  return ready;
}

/**
 * Why the service refuses a row before it looks at the handset or the account (bulk-checks.ts, in its order): a
 * hardware id of the wrong format, one the request has twice (both rows fail, with the IP the device is heard from
 * twice), a user the tenant does not have, a device no lab handset is. Null when the row gets that far.
 */
function rowRefusal(row: BulkRow, ids: Map<string, number>, directory: LabDirectory, user: TeamsUser | undefined): { code: BulkErrorCode; error: string } | null {
  const parsed = parseBulkHardwareId(row.hardwareId);
  if (!parsed) return { code: 'HARDWARE_ID_FORMAT', error: BULK_ERRORS.HARDWARE_ID_FORMAT };
  if ((ids.get(parsed.hardwareId) ?? 0) > 1) {
    const h = handsetOfRow(row, directory);
    const ip = h ? directory.sites.find((x) => x.id === directory.bases.get(directory.registrationPlace(h).baseId)?.site)?.publicIp : undefined;
    return { code: 'DUPLICATE_DEVICES', error: ip ? `${BULK_ERRORS.DUPLICATE_DEVICES} IP addresses: ${ip}, ${ip}` : BULK_ERRORS.DUPLICATE_DEVICES };
  }
  if (!user) return { code: 'USER_NOT_FOUND', error: BULK_ERRORS.USER_NOT_FOUND };
  if (parsed.port !== null || !handsetOfRow(row, directory)) return { code: 'DEVICE_NOT_FOUND', error: BULK_ERRORS.DEVICE_NOT_FOUND };
  return null;
}

/** The lab handset a row's hardware id (00 + IPEI) names, if any. */
function handsetOfRow(row: BulkRow, directory: LabDirectory): NamedHandset | undefined {
  const parsed = parseBulkHardwareId(row.hardwareId);
  const ipei = parsed ? ipeiOf(parsed.hardwareId) : undefined;
  return ipei ? [...directory.handsetByIpei.values()].find((h) => h.ipei.toUpperCase() === ipei.toUpperCase()) : undefined;
}

/**
 * The time of a base's first ITSP fetch after `after`, as the base runs them (base-machine.ts): from the round's
 * start, the first fetch `provisioningFirstFetchMs` later; a new ConfigURL then costs `reboots` reboots, each followed
 * by a fetch once the base runs again (shutdown, boot, first fetch); then one fetch every interval.
 */
function fetchesAfter(f: { start: number; reboots: number }, interval: number, profile: Lab['profile'], after: number): number {
  const first = f.start + profile.provisioningFirstFetchMs;
  const cycle = rebootCycleMs(profile);
  for (let j = 0; j <= f.reboots; j++) if (first + j * cycle > after) return first + j * cycle;
  const settled = first + f.reboots * cycle;
  return settled + (Math.floor((after - settled) / interval) + 1) * interval;
}

/** One provisioning reboot: from the fetch that asks for it to the next fetch (shutdown, boot, first fetch). */
function rebootCycleMs(profile: Lab['profile']): number {
  return profile.shutdownMs + profile.bootMs + profile.provisioningFirstFetchMs;
}

/** What the base fetches from ('' when it does not: ITSP provisioning off). */
function provisioningTargetOf(s: Partial<BaseSettings>): string {
  return s.provisioningOption === 'ConfigURL' ? (s.configUrl ?? '') : '';
}

/** How often a base fetches its handsets' files (ITSP provisioning), or null when it never does on its own. */
function fetchIntervalMs(s: Partial<BaseSettings>): number | null {
  if (s.itspMethod === 'Daily') return 24 * 3_600_000;
  if (s.itspMethod === 'Periodically') return Number(s.itspInterval ?? '86400') * 1000;
  return null;
}

function checkFirmware(baseId: string, s: Partial<BaseSettings>, where: string, directory: LabDirectory, handsets: NamedHandset[], once: (key: string, p: PlanProblem) => void): void {
  const server = s.firmwareServer;
  if (!server) return;
  const host = configUrlHost(server);
  if (host !== FIRMWARE_HOST) {
    once(`fwu01:${baseId}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'FWU-01', error: `FWU-01 ${FIRMWARE_ERRORS['FWU-01']} — ${host ?? server}${didYouMean(host ?? server, [FIRMWARE_HOST])}`, fix: fixFor('FWU-01')!, at: where, handsets: handsets.map((h) => h.id) });
    return;
  }
  const files: Array<{ file: string; what: string; handsets?: string[] }> = [];
  const baseModel = baseModelOf(baseId, directory);
  if (s.baseFwVersion && s.baseFwBranch && baseModel) files.push({ file: firmwareFileName(`Rove${baseModel}`, s.baseFwVersion, s.baseFwBranch), what: `base firmware ${toDotted({ version: s.baseFwVersion, branch: s.baseFwBranch })}` });
  for (const [model, version, branch] of [
    ['Rove30', s.rove30FwVersion, s.rove30FwBranch],
    ['Rove40', s.rove40FwVersion, s.rove40FwBranch],
  ] as const) {
    if (version && branch) files.push({ file: firmwareFileName(model, version, branch), what: `${model.replace('Rove', 'Rove ')} firmware ${toDotted({ version, branch })}` });
  }
  for (const f of files) {
    const url = new URL(firmwareUrl(server, s.firmwarePath ?? '', f.file));
    if (existsSync(path.join(DEFAULT_FIRMWARE_ROOT, decodeURIComponent(url.pathname)))) continue;
    once(`fwu03:${baseId}:${f.file}`, { severity: 'error', subject: { kind: 'base', name: baseId }, code: 'FWU-03', error: `FWU-03 ${FIRMWARE_ERRORS['FWU-03']} — ${url.href} (${f.what})`, fix: fixFor('FWU-03')!, at: where, handsets: handsets.map((h) => h.id) });
  }
}

/** The model of a base, as the lab made it. */
function baseModelOf(baseId: string, directory: LabDirectory): 'B2' | 'B4' | undefined {
  return directory.bases.get(baseId)?.model;
}

function safeSelect<T>(select: () => T[]): T[] {
  try {
    return select();
  } catch {
    return []; // the loader has already refused a selector that names nothing
  }
}

/** ` Did you mean "adele.vance@contoso.com"?` for a UPN a slip away from an account of the tenant, else ''. */
function upnSuggestion(upn: string, users: readonly TeamsUser[]): string {
  const near = closestMatch(upn, users.map((u) => u.upn));
  return near === undefined ? '' : ` Did you mean "${near}"?`;
}
