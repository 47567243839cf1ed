/**
 * Conditions on the lab (expectations and waitUntil): each names devices with a selector and checks what the lab
 * shows of them (base status, handset view, Teams admin center lists). Every check returns what was expected and
 * what was found, for the failure list.
 */
import type { BaseStation } from '../devices/base-station/base-station.ts';
import type { Handset } from '../devices/handset/handset.ts';
import type { Lab } from '../lab/lab.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import type { LabDirectory } from './build-lab.ts';
import type { BulkSignInTally } from './recorder.ts';
import type { Condition, NumberMatch } from './scenario-types.ts';

export interface ConditionResult {
  ok: boolean;
  expectation: string;
  actual: string;
}

export interface ConditionContext {
  lab: Lab;
  directory: LabDirectory;
  bulk: BulkSignInTally;
}

export function matchNumber(m: NumberMatch, n: number): boolean {
  return typeof m === 'number' ? n === m : (m.min === undefined || n >= m.min) && (m.max === undefined || n <= m.max);
}

export function describeNumber(m: NumberMatch): string {
  if (typeof m === 'number') return String(m);
  if (m.min !== undefined && m.max !== undefined) return m.min === m.max ? String(m.min) : `${m.min}..${m.max}`;
  return m.min !== undefined ? `>= ${m.min}` : `<= ${m.max}`;
}

type Check<T> = { what: string; want: string; test: (d: T) => boolean; show: (d: T) => string };

/** Compiles a condition once; the returned function is cheap enough to call after every timer. */
export function compileCondition(c: Condition, ctx: ConditionContext): () => ConditionResult {
  if ('bulkSignIn' in c) {
    const want = c.bulkSignIn;
    return () => {
      const t = ctx.bulk;
      const parts: string[] = [];
      let ok = true;
      if (want.succeeded !== undefined) {
        ok &&= matchNumber(want.succeeded, t.succeeded);
        parts.push(`succeeded ${describeNumber(want.succeeded)}`);
      }
      if (want.failed !== undefined) {
        ok &&= matchNumber(want.failed, t.failed);
        parts.push(`failed ${describeNumber(want.failed)}`);
      }
      for (const [error, m] of Object.entries(want.errors ?? {})) {
        ok &&= matchNumber(m, t.errors[error] ?? 0);
        parts.push(`"${error}" ${describeNumber(m)}`);
      }
      const errors = Object.entries(t.errors).map(([e, n]) => `"${e}" ${n}`).join(', ');
      return { ok, expectation: `bulk sign-in: ${parts.join(', ')}`, actual: `succeeded ${t.succeeded}, failed ${t.failed}${errors ? ` (${errors})` : ''}` };
    };
  }
  if ('base' in c) {
    const names = ctx.directory.selectBases(c.base);
    const devices = names.map((n) => ({ name: n.id, base: ctx.lab.bases.get(n.mac)! }));
    const checks: Array<Check<BaseStation>> = [];
    if (c.state !== undefined) checks.push({ what: 'state', want: c.state, test: (b) => b.state === c.state, show: (b) => b.state });
    if (c.firmware !== undefined) checks.push({ what: 'firmware', want: c.firmware, test: (b) => b.flash.firmware === c.firmware, show: (b) => b.flash.firmware });
    if (c.reboots !== undefined) {
      const m = c.reboots;
      checks.push({ what: 'reboots', want: describeNumber(m), test: (b) => matchNumber(m, b.flash.reboots.count), show: (b) => String(b.flash.reboots.count) });
    }
    if (c.rebootsFor !== undefined) {
      const { reason, count } = c.rebootsFor;
      const n = (b: BaseStation) => b.flash.reboots.log.filter((e) => e.kind === 'reboot' && e.reason.includes(reason)).length;
      checks.push({ what: `reboots for "${reason}"`, want: describeNumber(count), test: (b) => matchNumber(count, n(b)), show: (b) => String(n(b)) });
    }
    if (c.firmwareUpdate !== undefined) {
      checks.push({ what: 'firmware update', want: c.firmwareUpdate, test: (b) => b.snapshot.context.firmware.phase === c.firmwareUpdate, show: (b) => b.snapshot.context.firmware.phase });
    }
    if (c.provisioning !== undefined) {
      checks.push({ what: 'provisioning', want: c.provisioning, test: (b) => b.snapshot.context.provisioning.phase === c.provisioning, show: (b) => b.snapshot.context.provisioning.phase });
    }
    if (c.errorCode !== undefined) {
      const code = (b: BaseStation) => b.snapshot.context.firmware.code ?? b.snapshot.context.provisioning.code ?? 'none';
      checks.push({ what: 'error', want: c.errorCode, test: (b) => code(b) === c.errorCode, show: code });
    }
    if (c.pendingProvisioningReboots !== undefined) {
      const m = c.pendingProvisioningReboots;
      const n = (b: BaseStation) => b.flash.provisioning.pendingSwitchReboots;
      checks.push({ what: 'pending provisioning reboots', want: describeNumber(m), test: (b) => matchNumber(m, n(b)), show: (b) => String(n(b)) });
    }
    if (c.handsetsRegistered !== undefined) {
      const m = c.handsetsRegistered;
      checks.push({ what: 'handsets registered', want: describeNumber(m), test: (b) => matchNumber(m, b.flash.handsets.length), show: (b) => String(b.flash.handsets.length) });
    }
    if (c.dectSync !== undefined) {
      // As the DECT chain view shows it; `none` for a base that runs single cell.
      const sync = (b: BaseStation) => ctx.lab.radio.chain(b.mac).find((r) => r.mac === b.mac)?.syncState ?? 'none';
      checks.push({ what: 'DECT sync', want: c.dectSync, test: (b) => sync(b) === c.dectSync, show: sync });
    }
    if (c.chainLevel !== undefined) {
      const m = c.chainLevel;
      const level = (b: BaseStation) => ctx.lab.radio.chain(b.mac).find((r) => r.mac === b.mac)?.chainLevel ?? null;
      checks.push({ what: 'chain level', want: describeNumber(m), test: (b) => level(b) !== null && matchNumber(m, level(b)!), show: (b) => String(level(b) ?? 'none') });
    }
    return quantify('base', devices.map((d) => ({ name: d.name, device: d.base })), checks, c.count);
  }
  if ('handset' in c) {
    const devices = ctx.directory.selectHandsets(c.handset).map((n) => ({ name: n.id, device: ctx.lab.handsets.get(n.ipei)! }));
    const checks: Array<Check<Handset>> = [];
    if (c.state !== undefined) checks.push({ what: 'state', want: c.state, test: (h) => h.state === c.state, show: (h) => h.state });
    if (c.firmware !== undefined) checks.push({ what: 'firmware', want: c.firmware, test: (h) => h.record.firmware === c.firmware, show: (h) => h.record.firmware });
    if (c.registered !== undefined) {
      checks.push({ what: 'registered', want: String(c.registered), test: (h) => (h.record.subscription !== null) === c.registered, show: (h) => String(h.record.subscription !== null) });
    }
    if (c.lineState !== undefined) {
      const state = (h: Handset) => h.view().line?.state ?? 'none';
      checks.push({ what: 'line', want: c.lineState, test: (h) => state(h) === c.lineState, show: state });
    }
    if (c.lineReason !== undefined) {
      const text = c.lineReason;
      const reason = (h: Handset) => h.view().line?.reason ?? null;
      checks.push({ what: 'line reason', want: `contains "${text}"`, test: (h) => reason(h)?.includes(text) ?? false, show: (h) => JSON.stringify(reason(h)) });
    }
    if (c.cell !== undefined) {
      // The base whose cell the handset is in service on, by its scenario name.
      const cell = (h: Handset) => {
        const mac = h.state === 'in-service' ? ctx.lab.radio.cellOf(h.ipei) : undefined;
        return mac ? ctx.directory.nameOf(mac) : 'none';
      };
      checks.push({ what: 'cell', want: c.cell, test: (h) => cell(h) === c.cell, show: cell });
    }
    if (c.screen !== undefined) checks.push({ what: 'screen', want: c.screen, test: (h) => h.view().screen === c.screen, show: (h) => String(h.view().screen) });
    if (c.display !== undefined) {
      const text = c.display;
      checks.push({
        what: 'display',
        want: `shows "${text}"`,
        test: (h) => h.view().display.some((line) => line.includes(text)),
        show: (h) => JSON.stringify(h.view().display.map((l) => l.trim()).filter(Boolean).join(' | ')),
      });
    }
    return quantify('handset', devices, checks, c.count);
  }
  const devices = ctx.directory.selectHandsets(c.teams).map((n) => ({ name: n.id, device: n }));
  const checks: Array<Check<(typeof devices)[number]['device']>> = [];
  const view = (ipei: string) => ctx.lab.teams.device(hardwareIdForIpei(ipei));
  if (c.list !== undefined) checks.push({ what: 'Teams list', want: c.list, test: (d) => view(d.ipei)?.list === c.list, show: (d) => view(d.ipei)?.list ?? 'not added' });
  if (c.userStatus !== undefined) {
    checks.push({ what: 'user status', want: String(c.userStatus), test: (d) => (view(d.ipei)?.userStatus ?? null) === c.userStatus, show: (d) => String(view(d.ipei)?.userStatus ?? null) });
  }
  if (c.line !== undefined) {
    const applied = (ipei: string) => {
      const mac = ctx.lab.handsets.get(ipei)?.record.subscription?.baseMac;
      return (mac && ctx.lab.bases.get(mac)?.flash.provisioning.applied[ipei]?.['TEAMS_STATE']) ?? 'none';
    };
    checks.push({ what: 'line', want: c.line, test: (d) => applied(d.ipei) === c.line, show: (d) => applied(d.ipei) });
  }
  return quantify('teams device', devices, checks, c.count);
}

function quantify<T>(kind: string, devices: Array<{ name: string; device: T }>, checks: Array<Check<T>>, count: NumberMatch | undefined): () => ConditionResult {
  const wanted = checks.map((k) => `${k.what} ${k.want}`).join(', ');
  const label = devices.length === 1 ? `${kind} ${devices[0]!.name}` : count === undefined ? `all ${devices.length} ${kind}s` : `${describeNumber(count)} of ${devices.length} ${kind}s`;
  const expectation = `${label}: ${wanted || 'exists'}`;
  return () => {
    let matching = 0;
    const misses: string[] = [];
    for (const { name, device } of devices) {
      const failed = checks.filter((k) => !k.test(device));
      if (failed.length === 0) matching++;
      else if (misses.length < 5) misses.push(`${name}: ${failed.map((k) => `${k.what} ${k.show(device)}`).join(', ')}`);
    }
    const ok = count === undefined ? matching === devices.length : matchNumber(count, matching);
    const more = devices.length - matching > misses.length ? `, … ${devices.length - matching - misses.length} more` : '';
    const actual = ok ? `${matching} of ${devices.length} match` : `${matching} of ${devices.length} match${misses.length ? `; ${misses.join('; ')}${more}` : ''}`;
    return { ok, expectation, actual };
  };
}
