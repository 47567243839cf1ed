/**
 * Runs a scenario: builds its lab on a paused lab clock, plays its steps on that clock (at full speed or paced),
 * records what happened, checks the expectations, and returns the report (report.ts) and the event log.
 * Deterministic for a given seed: time comes only from the lab clock, randomness only from the seed.
 */
import type { BaseStation } from '../devices/base-station/base-station.ts';
import type { Handset } from '../devices/handset/handset.ts';
import type { Lab } from '../lab/lab.ts';
import { formatHardwareId, hardwareIdForIpei, ipeiOf } from '../cloud/teams/devices/hardware-id.ts';
import { parseBulkHardwareId } from '../cloud/teams/bulk/bulk-csv.ts';
import { signInOnDeviceLogin } from '../cloud/teams/device-login/device-login-flow.ts';
import { buildLab, DEFAULT_SEED, formChains, type LabDirectory, type NamedHandset } from './build-lab.ts';
import { restoreCheckpoint, saveCheckpoint } from '../live/checkpoints.ts';
import { canRunBeside, runScenarioInWorker } from './run-in-worker.ts';
import { compileCondition, type ConditionContext, type ConditionResult } from './conditions.ts';
import { Driver } from './driver.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { faultsOf } from '../live/faults/fault-board.ts';
import { Recorder, type LabEvent } from './recorder.ts';
import { buildReport, type RunReport } from './report.ts';
import { SeededRandom } from './seeded-random.ts';
import type { BulkSignInSpec, CompareSpec, Condition, Scenario, Step, TeamsAction } from './scenario-types.ts';
import { STEP_ACTIONS } from './scenario-schema.ts';

export interface RunOptions {
  seed?: number;
  /** `max` (default): as fast as the CPU allows; a number: lab ms per real ms. */
  speed?: 'max' | number;
  /** Another firmware behaviour for this run (comparison runs). */
  variant?: CompareSpec;
  onProgress?: (progress: Progress) => void;
  /** Build the lab in this lab file (default: in memory) and keep checkpoints `scenario-start` and `scenario-end` in it. */
  labFile?: string;
}

export interface Progress {
  stepsDone: number;
  steps: number;
  /** Lab ms since the start. */
  virtualMs: number;
  /** Lab ms the steps are known to need at least (waits and `at` times). */
  plannedMs: number;
  step: string;
}

export interface Failure {
  /** 1-based step number. */
  step: number;
  name: string;
  expectation: string;
  actual: string;
}

export interface RunResult {
  report: RunReport;
  events: LabEvent[];
  failures: Failure[];
  /** Real ms the run took (measurement only: never part of the report, which must not depend on the machine). */
  wallMs: number;
}

const DEFAULT_WAIT_TIMEOUT_MS = 60 * 60_000;
const CODE_EXPIRY_WAIT_MS = 24 * 3_600_000 + 60_000;

/** Runs the scenario once (and not its comparison: see {@link rehearse}). */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const seed = options.seed ?? scenario.seed ?? DEFAULT_SEED;
  const wallStart = performance.now();
  const built = await buildLab(scenario, { seed, ...(options.variant ? { variant: options.variant } : {}), ...(options.labFile ? { file: options.labFile } : {}) });
  const { directory, startMs } = built;
  let lab = built.lab;
  const recorder = new Recorder(lab, directory, startMs);
  recorder.attach();
  const failures: Failure[] = [];
  const plannedMs = plannedTime(scenario);
  let stepsDone = 0;
  let currentStep = 'building the lab';
  const progress = () =>
    options.onProgress?.({ stepsDone, steps: scenario.steps.length, virtualMs: lab.clock.now() - startMs, plannedMs, step: currentStep });
  const driver = new Driver(lab.clock, options.speed ?? 'max', progress, () => recorder.changes);
  if (directory.chains.length > 0) {
    // Part of the lab: its multi-cell systems are set up (settings saved, Save and reboot) before the first step.
    currentStep = 'multi-cell chains';
    recorder.add({ kind: 'step', device: 'lab', state: 'start', detail: 'Multi-cell chains: DECT → Multi-cell, Save and reboot' });
    const [formed] = await driver.run([() => formChains(lab, directory, (predicate, ms) => driver.until(predicate, ms))]);
    const problems = formed!.status === 'fulfilled' ? formed!.value : [`error: ${(formed!.reason as Error).message}`];
    for (const problem of problems) {
      failures.push({ step: 0, name: 'lab.chains', expectation: 'the multi-cell chains form', actual: problem });
      recorder.add({ kind: 'failure', device: 'lab', detail: `the multi-cell chains form — ${problem}` });
    }
  }
  if (options.labFile) saveCheckpoint(built.lab, 'scenario-start');
  const random = new SeededRandom(seed ^ 0xb01c);
  const context: StepContext = {
    get lab() {
      return lab;
    },
    directory,
    driver,
    recorder,
    random,
    region: built.region,
    codes: new Map(),
    fail: () => {},
    replaceLab: async (next) => {
      lab = next;
    },
  };
  try {
    for (const [i, step] of scenario.steps.entries()) {
      const name = stepName(step, i);
      currentStep = name;
      context.fail = (expectation, actual) => {
        failures.push({ step: i + 1, name, expectation, actual });
        recorder.add({ kind: 'failure', device: 'lab', detail: `${expectation} — ${actual}` });
      };
      if (step.run !== undefined && step.run !== (options.variant ? 'compare' : 'main')) {
        stepsDone++;
        progress();
        continue;
      }
      if (step.at !== undefined) {
        const due = startMs + parseDuration(step.at)!;
        if (due > lab.clock.now()) await driver.run([() => driver.sleep(due - lab.clock.now())]);
      }
      recorder.add({ kind: 'step', device: 'lab', state: 'start', detail: name });
      try {
        await executeStep(step, context);
      } catch (err) {
        context.fail(`step ${i + 1} (${name}) runs`, `error: ${(err as Error).message}`);
      }
      stepsDone++;
      progress();
    }
    await lab.settle();
    if (options.labFile) saveCheckpoint(lab, 'scenario-end');
    const report = buildReport({ scenario, seed, lab, directory, recorder, failures, startMs, variant: options.variant });
    return { report, events: recorder.sorted(), failures, wallMs: performance.now() - wallStart };
  } finally {
    recorder.detach();
    faultsOf(lab).clearAll();
    await lab.close();
  }
}

export interface Rehearsal {
  main: RunResult;
  comparison?: RunResult;
}

/** The scenario, and its comparison run when it has one (or `compare` is given). */
export async function rehearse(scenario: Scenario, options: RehearseOptions = {}): Promise<Rehearsal> {
  const { compare, parallel, onCompareProgress, heapMb, ...rest } = options;
  const spec = compare ?? scenario.compare;
  if (!spec) return { main: await runScenario(scenario, rest) };
  const variant = { label: spec.label ?? describeVariant(spec), ...spec };
  // Side by side when a core is free: the comparison in a worker thread while this thread runs the main run. Not with
  // a lab file: both runs would build their lab in it.
  if ((parallel ?? canRunBeside()) && !rest.labFile) {
    const { onProgress: _main, labFile: _file, ...shared } = rest;
    const beside = runScenarioInWorker(scenario, {
      ...shared,
      variant,
      ...(onCompareProgress ? { onProgress: onCompareProgress } : {}),
      ...(heapMb ? { heapMb } : {}),
    });
    // Settled at once so that a failing comparison does not go unhandled while the main run still runs.
    const settled = beside.then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e }));
    const main = await runScenario(scenario, rest);
    const outcome = await settled;
    if (!outcome.ok) throw outcome.e;
    return { main, comparison: outcome.r };
  }
  const main = await runScenario(scenario, rest);
  const comparison = await runScenario(scenario, { ...rest, variant, ...(onCompareProgress ? { onProgress: onCompareProgress } : {}) });
  return { main, comparison };
}

export interface RehearseOptions extends RunOptions {
  /** Another profile to compare with (default: the scenario's `compare`). */
  compare?: CompareSpec;
  /** Run the comparison in a worker thread beside the main run (default: when the machine has two cores or more). */
  parallel?: boolean;
  /** Progress of the comparison run. */
  onCompareProgress?: (progress: Progress) => void;
  /** Old-space cap for the comparison's worker (MB), as the process's own when it runs in a sized heap. */
  heapMb?: number;
}

export function describeVariant(v: CompareSpec): string {
  const overrides = Object.entries(v.profileOverrides ?? {}).map(([k, x]) => `${k}=${x}`);
  return [v.profile, ...overrides].filter(Boolean).join(', ') || 'variant';
}

// ─── Steps ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface StepContext {
  readonly lab: Lab;
  directory: LabDirectory;
  driver: Driver;
  recorder: Recorder;
  random: SeededRandom;
  region: 'NOAM' | 'EMEA' | 'APAC';
  /** Verification codes generated in this run, by hardware id. */
  codes: Map<string, string>;
  fail: (expectation: string, actual: string) => void;
  replaceLab: (lab: Lab) => Promise<void>;
}

export function stepName(step: Step, i: number): string {
  if (step.name) return step.name;
  const action = STEP_ACTIONS.find((a) => a in step) ?? 'step';
  const value = (step as unknown as Record<string, unknown>)[action];
  const brief = typeof value === 'string' || typeof value === 'number' ? ` ${value}` : '';
  return `${i + 1}. ${action}${brief}`;
}

async function executeStep(step: Step, ctx: StepContext): Promise<void> {
  const { lab, directory, driver } = ctx;
  const timeout = step.timeout !== undefined ? parseDuration(step.timeout)! : DEFAULT_WAIT_TIMEOUT_MS;
  if ('wait' in step) {
    await driver.run([() => driver.sleep(parseDuration(step.wait)!)]);
  } else if ('waitUntil' in step) {
    const checks = conditionsOf(step.waitUntil).map((c) => compileCondition(c, conditionContext(ctx)));
    const held = await runOne(driver, () => driver.until(() => checks.every((c) => c().ok), timeout));
    if (!held) {
      for (const r of checks.map((c) => c())) if (!r.ok) ctx.fail(`within ${formatDuration(timeout)}: ${r.expectation}`, r.actual);
    }
  } else if ('expect' in step) {
    for (const c of conditionsOf(step.expect)) {
      const r: ConditionResult = compileCondition(c, conditionContext(ctx))();
      if (!r.ok) ctx.fail(r.expectation, r.actual);
    }
  } else if ('settings' in step) {
    const values = Object.fromEntries(Object.entries(step.settings.values).map(([k, v]) => [k, substitute(String(v), lab)]));
    const bases = directory.selectBases(step.settings.bases);
    await driver.run(
      bases.map((b) => async () => {
        const base = lab.bases.get(b.mac)!;
        if (!(await driver.until(() => base.reachable, 10 * 60_000))) {
          ctx.fail(`web admin of ${b.id} saves settings`, `the base is ${base.state}: its web admin does not answer`);
          return;
        }
        const checked = base.updateSettings(values);
        if (!checked.ok) ctx.fail(`web admin of ${b.id} accepts the settings`, checked.errors.map((e) => e.message).join('; '));
      }),
    );
  } else if ('press' in step) {
    for (const h of directory.selectHandsets(step.press.handsets)) lab.handsets.get(h.ipei)!.press(step.press.keys);
    await lab.settle();
  } else if ('register' in step) {
    await registerHandsets(ctx, directory.selectHandsets(step.register.handsets), step.timeout !== undefined ? timeout : 10 * 60_000);
  } else if ('power' in step) {
    for (const b of step.power.bases ? directory.selectBases(step.power.bases) : []) lab.bases.get(b.mac)!.setPower(step.power.on);
    for (const h of step.power.handsets ? directory.selectHandsets(step.power.handsets) : []) lab.handsets.get(h.ipei)!.setPower(step.power.on);
  } else if ('reboot' in step) {
    for (const b of directory.selectBases(step.reboot.bases)) {
      lab.bases.get(b.mac)!.send(step.reboot.forced ? { type: 'FORCED_REBOOT', reason: 'Forced reboot (web admin)' } : { type: 'REBOOT', reason: 'Reboot (web admin)' });
    }
  } else if ('fault' in step) {
    const f = step.fault;
    faultsOf(lab).inject({
      type: f.type,
      ...(f.id ? { id: f.id } : {}),
      ...(f.bases ? { bases: directory.selectBases(f.bases).map((b) => b.mac) } : {}),
      ...(f.handsets ? { handsets: directory.selectHandsets(f.handsets).map((h) => h.ipei) } : {}),
      ...(f.site ? { site: f.site } : {}),
      ...(f.mode ? { mode: f.mode } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.server ? { server: f.server } : {}),
      ...(f.region ? { region: f.region } : {}),
      ...(f.file ? { file: f.file } : {}),
      ...(f.configUrl ? { configUrl: substitute(f.configUrl, lab) } : {}),
      ...(f.publicIp ? { publicIp: f.publicIp } : {}),
      ...(f.duration !== undefined ? { durationMs: parseDuration(f.duration)! } : {}),
    });
  } else if ('clearFault' in step) {
    const board = faultsOf(lab);
    if (step.clearFault === 'all') board.clearAll();
    else board.clear(step.clearFault);
  } else if ('teams' in step) {
    await teamsAction(step.teams, ctx);
  } else if ('checkpoint' in step) {
    saveCheckpoint(lab, step.checkpoint);
  } else if ('restore' in step) {
    ctx.recorder.detach();
    await restoreCheckpoint(lab, step.restore);
    ctx.recorder.attach();
  }
}

function conditionsOf(c: Condition | Condition[]): Condition[] {
  return Array.isArray(c) ? c : [c];
}

function conditionContext(ctx: StepContext): ConditionContext {
  return { lab: ctx.lab, directory: ctx.directory, bulk: ctx.recorder.bulk };
}

async function runOne<T>(driver: Driver, task: () => Promise<T>): Promise<T> {
  const [result] = await driver.run([task]);
  if (result!.status === 'rejected') throw result!.reason;
  return result!.value;
}

/** `${TENANT_ID}` in settings values and URLs: the lab tenant's id. */
function substitute(text: string, lab: Lab): string {
  return text.includes('${TENANT_ID}') ? text.replaceAll('${TENANT_ID}', lab.teams.tenant.id) : text;
}

/** Lab time the steps need at least: for the progress bar. */
function plannedTime(scenario: Scenario): number {
  let t = 0;
  for (const step of scenario.steps) {
    if (step.at !== undefined) t = Math.max(t, parseDuration(step.at)!);
    if ('wait' in step) t += parseDuration(step.wait)!;
  }
  return t;
}

// ─── Registration ───────────────────────────────────────────────────────────────────────────────────────────────

/** Bases in parallel; on each base its handsets one after the other (one registration window at a time). */
async function registerHandsets(ctx: StepContext, handsets: NamedHandset[], timeoutMs: number): Promise<void> {
  // Handsets of a multi-cell chain register on its primary (directory.registrationPlace).
  const byBase = new Map<string, Array<{ h: NamedHandset; slot: number }>>();
  for (const h of handsets) {
    const { baseId, slot } = ctx.directory.registrationPlace(h);
    byBase.set(baseId, [...(byBase.get(baseId) ?? []), { h, slot }]);
  }
  await ctx.driver.run(
    [...byBase.entries()].map(([baseId, list]) => async () => {
      const base = ctx.lab.bases.get(ctx.directory.bases.get(baseId)!.mac)!;
      for (const { h, slot } of list) {
        const problem = await registerOne(ctx, base, ctx.lab.handsets.get(h.ipei)!, slot, timeoutMs);
        if (problem) ctx.fail(`handset ${h.id} registers to ${baseId} (slot ${slot})`, problem);
      }
    }),
  );
}

/** The guide's registration: Specific Handsets → slot → Register on the base, Settings → Connectivity → Register on the handset. */
async function registerOne(ctx: StepContext, base: BaseStation, handset: Handset, slot: number, timeoutMs: number): Promise<string | undefined> {
  const { driver } = ctx;
  const inService = () => handset.state === 'in-service' && handset.record.subscription?.baseMac === base.mac;
  if (inService()) return undefined;
  const ready = () => base.reachable && (handset.state === 'unregistered' || handset.state === 'searching' || handset.state === 'in-service');
  if (!(await driver.until(ready, timeoutMs))) return `base ${base.state}, handset ${handset.state}: cannot start`;
  try {
    base.openRegistration(slot);
  } catch (err) {
    return (err as Error).message;
  }
  handset.press('{red}');
  handset.press('{menu}');
  for (const label of ['Settings', 'Connectivity', 'Register']) {
    if (!selectMenu(handset, label)) return `no menu row "${label}": ${screenText(handset)}`;
  }
  await driver.until(() => handset.view().screen !== 'scanning', 60_000);
  if (handset.view().screen !== 'choosing-base') return `no base in registration mode found: ${screenText(handset)}`;
  for (let i = 0; i < 50 && highlightedEntry(handset) !== base.mac; i++) handset.press('{down}');
  if (highlightedEntry(handset) !== base.mac) return `base not listed: ${screenText(handset)}`;
  handset.press('{ok}');
  handset.press(`${base.flash.settings.accessCode || '0000'}{ok}`);
  if (!(await driver.until(() => inService() && handset.view().screen !== 'registering', timeoutMs))) {
    return `not in service: ${screenText(handset)}`;
  }
  await driver.until(() => handset.view().screen === 'idle', 60_000);
  return undefined;
}

function selectMenu(handset: Handset, label: string): boolean {
  for (let i = 0; i < 12; i++) {
    const row = handset.view().display.map((l) => l.trim()).find((l) => l.startsWith('>'));
    if (row?.slice(1).trim() === label) {
      handset.press('{ok}');
      return true;
    }
    handset.press('{down}');
  }
  return false;
}

function highlightedEntry(handset: Handset): string | undefined {
  const { entries, entryCursor } = handset.snapshot.context;
  return entries[entryCursor]?.mac;
}

function screenText(handset: Handset): string {
  return JSON.stringify(handset.view().display.map((l) => l.trim()).filter(Boolean).join(' | '));
}

// ─── Enrollment on the handset ──────────────────────────────────────────────────────────────────────────────────

const HANDSET_READY_WAIT_MS = 10 * 60_000;
const ENROLL_ANSWER_WAIT_MS = 60_000;

/**
 * The guide's enrollment on the handset: once it is idle in service with its line up (waiting at most 10 min, as a
 * technician would), `*55*<code>` and green through the same key path as the `press` step; the gateway's answer is
 * the outcome — three busy tones (enrolled), or the error tone with the words the SIP answer carries (the service's
 * refusal) or, when no call could be placed, what the handset shows.
 */
async function enrollOnKeypad(ctx: StepContext, handset: Handset, code: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const ready = () => handset.state === 'in-service' && handset.view().screen === 'idle' && handset.view().line?.state === 'OK';
  await ctx.driver.until(ready, HANDSET_READY_WAIT_MS);
  const before = new Set(handset.view().tones);
  const answer = () => handset.view().tones.find((t) => !before.has(t) && (t.tone === 'three-busy' || t.tone === 'error'));
  handset.press(`*55*${code}{green}`);
  if (!(await ctx.driver.until(() => answer() !== undefined, ENROLL_ANSWER_WAIT_MS))) {
    return { ok: false, reason: `no answer to *55* within ${formatDuration(ENROLL_ANSWER_WAIT_MS)}: ${screenText(handset)}` };
  }
  if (answer()!.tone === 'three-busy') return { ok: true };
  const view = handset.view();
  const end = view.call?.end;
  if (end?.reason) return { ok: false, reason: end.reason };
  // No call was placed (no line, line not registered): the handset's headline, and why the line is down.
  const shown = view.display.slice(1, -1).map((l) => l.trim()).filter(Boolean);
  return { ok: false, reason: view.line?.reason ? `${shown[0] ?? 'No call'}: ${view.line.reason}` : shown.join(' ') };
}

// ─── Sign-in on the handset ─────────────────────────────────────────────────────────────────────────────────────

const PAIRING_EXPIRY_WAIT_MS = 60_000;

/**
 * The guide's sign-in as the user does it: once the handset is idle in service with its line up (waiting at most
 * 10 min), the idle screen's "Sign in" soft key through the same key path as the `press` step; the pairing screen
 * shows the URL and the code; the code read from that screen goes into the device login page (the same steps and
 * words as /devicelogin) with `upn`. The outcome is signed in, or what the handset or the page shows. With the
 * `expired-codes` fault the code is entered a minute after the pairing code expired.
 */
async function signInOnHandset(ctx: StepContext, handset: Handset, upn: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const view = () => handset.view();
  const ready = () => handset.state === 'in-service' && view().screen === 'idle' && view().line?.state === 'OK';
  await ctx.driver.until(ready, HANDSET_READY_WAIT_MS);
  const shown = () => view().display.map((l) => l.trim()).filter(Boolean);
  const softKeys = view().display.at(-1) ?? '';
  if (!ready() || !/\bSign in$/.test(softKeys.trimEnd())) {
    return { ok: false, reason: `no Sign in soft key: ${screenText(handset)}` };
  }
  // Keys act at once (no lab time passes; awaiting anything but until/sleep here would let the driver move the clock).
  handset.press('{soft2}');
  const code = shown().find((l) => l.startsWith('Code: '))?.slice('Code: '.length).trim();
  if (!code) {
    // "Sign in failed" and the gateway's words (the handset's message screen, between its status bar and soft keys).
    const words = view().display.slice(1, -1).map((l) => l.trim()).filter(Boolean);
    return { ok: false, reason: words.join(' ') || screenText(handset) };
  }
  if (faultsOf(ctx.lab).expiredCodes) await ctx.driver.sleep(ctx.lab.teams.profile.pairingCodeMs + PAIRING_EXPIRY_WAIT_MS);
  const outcome = signInOnDeviceLogin(ctx.lab.teams, code.toLowerCase(), upn);
  if (outcome.ok) return { ok: true };
  return { ok: false, reason: [outcome.message, ...outcome.problems.map((p) => p.message)].join(' ') };
}

// ─── Teams admin center ─────────────────────────────────────────────────────────────────────────────────────────

async function teamsAction(action: TeamsAction, ctx: StepContext): Promise<void> {
  const { lab, directory, recorder } = ctx;
  const teams = lab.teams;
  const hw = (h: NamedHandset) => hardwareIdForIpei(h.ipei);
  if ('provision' in action) {
    const handsets = directory.selectHandsets(action.provision);
    for (let i = 0; i < handsets.length; i += 1000) {
      const rows = handsets.slice(i, i + 1000).map((h) => ({ macAddress: formatHardwareId(hw(h)), location: action.location ?? directory.bases.get(h.baseId)!.site }));
      const result = teams.addDevices(rows, 'api');
      if (!result.ok) for (const p of result.problems) ctx.fail(`Teams admin center adds ${p.macAddress ?? 'the devices'}`, `row ${p.row}: ${p.message}`);
    }
  } else if ('generateCode' in action) {
    for (const h of directory.selectHandsets(action.generateCode)) ctx.codes.set(hw(h), teams.generateVerificationCode(hw(h)).code);
  } else if ('enroll' in action) {
    const handsets = directory.selectHandsets(action.enroll);
    const codes = handsets.map((h) => {
      const device = teams.device(hw(h));
      if (action.code) return action.code;
      if (!ctx.codes.has(hw(h)) && device?.state === 'provisioned') ctx.codes.set(hw(h), teams.generateVerificationCode(hw(h)).code);
      return ctx.codes.get(hw(h)) ?? '';
    });
    if (faultsOf(lab).expiredCodes) await runOne(ctx.driver, () => ctx.driver.sleep(CODE_EXPIRY_WAIT_MS));
    // The technician at each handset in turn: *55*<code> and green, then the answer (three busy tones, or the error).
    await runOne(ctx.driver, async () => {
      for (const [i, h] of handsets.entries()) {
        const result = await enrollOnKeypad(ctx, lab.handsets.get(h.ipei)!, codes[i]!);
        recorder.add({ kind: 'enroll', device: h.id, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) });
      }
    });
  } else if ('signIn' in action) {
    const spacing = action.spacing !== undefined ? parseDuration(action.spacing)! : 0;
    // The user at each handset in turn: Sign in soft key, then the code from its screen on the device login page.
    await runOne(ctx.driver, async () => {
      for (const [n, h] of directory.selectHandsets(action.signIn).entries()) {
        if (n > 0 && spacing > 0) await ctx.driver.sleep(spacing);
        const upn = action.user ?? h.user;
        if (!upn) {
          ctx.fail(`handset ${h.id} signs in`, 'no user: give the handset a user in the lab or the step a user');
          continue;
        }
        const result = await signInOnHandset(ctx, ctx.lab.handsets.get(h.ipei)!, upn);
        recorder.add({ kind: 'sign-in', device: h.id, ok: result.ok, detail: upn, ...(result.ok ? {} : { reason: result.reason }) });
      }
    });
  } else if ('signOut' in action) {
    for (const h of directory.selectHandsets(action.signOut)) teams.signOut(hw(h), 'admin-center');
  } else if ('restart' in action) {
    for (const h of directory.selectHandsets(action.restart)) teams.restart(hw(h));
  } else if ('bulkSignIn' in action) {
    await bulkSignIn(action.bulkSignIn, ctx);
  } else if ('trustedIps' in action) {
    teams.setTrustedIps(action.trustedIps);
  } else if ('setBulkSignIn' in action) {
    teams.setBulkSignIn(action.setBulkSignIn);
  } else if ('updateUser' in action) {
    const { upn, ...patch } = action.updateUser;
    teams.updateUser(upn, patch as Parameters<typeof teams.updateUser>[1]);
  }
  await lab.settle();
}

/**
 * `New-CsSdgBulkSignInRequest` per batch of rows; at most as many batches run at once as the service allows (the
 * next is submitted when one completes); the step ends when every batch has completed.
 */
async function bulkSignIn(spec: BulkSignInSpec, ctx: StepContext): Promise<void> {
  const { directory, lab, recorder, driver } = ctx;
  const service = lab.teams.bulk;
  const region = spec.region ?? ctx.region;
  const requests: Array<{ csv?: string; rows?: Array<{ userName: string; hardwareId: string; device?: string }> }> = [];
  if (spec.csv !== undefined) {
    requests.push({ csv: spec.csv.replace(/\{hw:([^}]+)\}/g, (_, name: string) => formatHardwareId(hardwareIdForIpei(directory.selectHandsets(name)[0]!.ipei))) });
  } else {
    const rows = directory
      .selectHandsets(spec.handsets ?? '*')
      .filter((h) => h.user)
      .map((h) => ({ userName: h.user!, hardwareId: formatHardwareId(hardwareIdForIpei(h.ipei)), device: h.id }));
    plantMistakes(rows, spec.mistakes ?? {}, ctx.random);
    const size = spec.batchSize ?? 100;
    for (let i = 0; i < rows.length; i += size) requests.push({ rows: rows.slice(i, i + size) });
  }
  const submitted: Array<{ id: string; rows?: Array<{ device?: string }> }> = [];
  await runOne(driver, async () => {
    for (const [n, request] of requests.entries()) {
      for (;;) {
        try {
          const batch = service.submit({ region, ...(request.csv !== undefined ? { csv: request.csv } : { rows: request.rows! }) });
          submitted.push({ id: batch.BatchId, ...(request.rows ? { rows: request.rows } : {}) });
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'BULK_TOO_MANY_BATCHES') {
            ctx.fail(`bulk sign-in batch ${n + 1} is accepted`, (err as Error).message);
            break;
          }
          const running = () => service.inProgressCount();
          const before = running();
          await driver.until(() => running() < before, 24 * 3_600_000);
        }
      }
    }
    await driver.until(() => submitted.every((b) => service.batchStatus(b.id) === 'Completed'), 24 * 3_600_000);
  });
  for (const { id, rows } of submitted) {
    service.status(id).BatchItem.forEach((item, j) => {
      if (item.Status === 'pending') return;
      const ok = item.Status === 'success';
      recorder.tallyBulk(ok ? 'Success' : 'Failed', item.Error);
      const parsed = parseBulkHardwareId(item.HardwareId);
      const device = rows?.[j]?.device ?? (parsed ? directory.nameOf(ipeiOf(parsed.hardwareId) ?? parsed.hardwareId) : item.HardwareId);
      recorder.add({ kind: 'bulk', device, ok, detail: item.UserName, ...(item.Error ? { reason: item.Error } : {}) });
    });
  }
}

/** Replaces rows with the kinds of mistakes people make in these CSVs, at positions chosen from the seed. */
function plantMistakes(rows: Array<{ userName: string; hardwareId: string; device?: string }>, mistakes: NonNullable<BulkSignInSpec['mistakes']>, random: SeededRandom): void {
  const total = (mistakes.wrongFormat ?? 0) + (mistakes.duplicate ?? 0) + (mistakes.unknownUser ?? 0) + (mistakes.unknownDevice ?? 0);
  const picks = random.sample(rows.length, total);
  let k = 0;
  for (let i = 0; i < (mistakes.wrongFormat ?? 0) && k < picks.length; i++, k++) {
    const r = rows[picks[k]!]!;
    r.hardwareId = r.hardwareId.replace(/-/g, '');
  }
  for (let i = 0; i < (mistakes.duplicate ?? 0) && k < picks.length; i++, k++) {
    const at = picks[k]!;
    const other = rows[(at + 1) % rows.length]!;
    rows[at]!.hardwareId = other.hardwareId;
  }
  for (let i = 0; i < (mistakes.unknownUser ?? 0) && k < picks.length; i++, k++) rows[picks[k]!]!.userName = `nobody${i + 1}@contoso.com`;
  for (let i = 0; i < (mistakes.unknownDevice ?? 0) && k < picks.length; i++, k++) {
    rows[picks[k]!]!.hardwareId = `00-00-0F-FF-FF-${String(i + 1).padStart(2, '0')}`;
  }
}
