/**
 * One check of an exercise against the lab's read-outs (lab-readouts.ts): what was expected and what the trainee's
 * lab shows, in words a trainee can follow ("base 0004F2A00001: firmware 8.0.0.0402").
 */
import { describeNumber, matchNumber } from '../rehearsal/conditions.ts';
import type { BaseReadout, LabReadouts } from './lab-readouts.ts';
import type { HandsetView } from '../devices/handset/handset.ts';
import type { DeviceView } from '../cloud/teams/devices/device-view.ts';
import type { Check, Exercise, NumberMatch, Question } from './exercise-types.ts';
import { ERR_ANSWER_INVALID, ERR_ANSWER_NO_QUESTION } from '../kernel/error-catalogue.ts';
import { PARAMETERS } from '../devices/base-station/parameters.ts';

export interface CheckResult {
  ok: boolean;
  /** What the check asks for. */
  expectation: string;
  /** What the lab shows. */
  actual: string;
  /** The check's own `fail` text, when it failed. */
  fail?: string;
}

type Item<T> = { what: string; want: string; test: (d: T) => boolean; show: (d: T) => string };

const ALL = '*';

/** Runs one check now. */
export function runCheck(check: Check, readouts: LabReadouts): CheckResult {
  const result = evaluate(check, readouts);
  return result.ok || check.fail === undefined ? result : { ...result, fail: check.fail };
}

function evaluate(check: Check, r: LabReadouts): CheckResult {
  if ('bulkSignIn' in check) {
    const want = check.bulkSignIn;
    const parts: string[] = [];
    if (want.status !== undefined) parts.push(`status ${want.status}`);
    if (want.succeeded !== undefined) parts.push(`succeeded ${describeNumber(want.succeeded)}`);
    if (want.failed !== undefined) parts.push(`failed ${describeNumber(want.failed)}`);
    for (const [error, m] of Object.entries(want.errors ?? {})) parts.push(`"${error}" ${describeNumber(m)}`);
    const expectation = `latest bulk sign-in batch: ${parts.join(', ')}`;
    const batch = r.latestBulkBatch();
    if (batch === null) return { ok: false, expectation, actual: 'no bulk sign-in batch was submitted' };
    if (typeof batch === 'string') return { ok: false, expectation, actual: batch };
    const ok =
      (want.status === undefined || batch.status === want.status) &&
      (want.succeeded === undefined || matchNumber(want.succeeded, batch.succeeded)) &&
      (want.failed === undefined || matchNumber(want.failed, batch.failed)) &&
      Object.entries(want.errors ?? {}).every(([e, m]) => matchNumber(m, batch.errors[e] ?? 0));
    const errors = Object.entries(batch.errors).map(([e, n]) => `"${e}" ${n}`).join(', ');
    return { ok, expectation, actual: `${batch.status}: succeeded ${batch.succeeded}, failed ${batch.failed}${errors ? ` (${errors})` : ''}` };
  }
  if ('base' in check) {
    const items: Array<Item<BaseReadout>> = [];
    const c = check;
    if (c.state !== undefined) items.push({ what: 'state', want: c.state, test: (b) => b.status.state === c.state, show: (b) => b.status.state });
    if (c.firmware !== undefined) items.push({ what: 'firmware', want: c.firmware, test: (b) => b.status.firmware === c.firmware, show: (b) => b.status.firmware });
    if (c.passwordChanged !== undefined) {
      const words = (changed: boolean) => (changed ? 'changed' : 'still the factory password');
      items.push({ what: 'admin password', want: words(c.passwordChanged), test: (b) => b.passwordChanged === c.passwordChanged, show: (b) => words(b.passwordChanged) });
    }
    for (const [key, value] of Object.entries(c.settings ?? {})) {
      const label = PARAMETERS.get(key as never)?.label ?? key;
      const shown = (b: BaseReadout) => String(b.settings[key] ?? '');
      items.push({ what: label, want: JSON.stringify(value), test: (b) => shown(b).trim() === value.trim(), show: (b) => JSON.stringify(shown(b)) });
    }
    if (c.reboots !== undefined) items.push(counted('reboots', c.reboots, (b) => b.status.reboots));
    if (c.rebootsFor !== undefined) {
      const { reason, count } = c.rebootsFor;
      items.push(counted(`reboots for "${reason}"`, count, (b) => b.status.rebootLog.filter((e) => e.kind === 'reboot' && e.reason.includes(reason)).length));
    }
    if (c.handsetsRegistered !== undefined) items.push(counted('handsets registered', c.handsetsRegistered, (b) => b.handsetsRegistered));
    if (c.pendingProvisioningReboots !== undefined) items.push(counted('provisioning reboots to come', c.pendingProvisioningReboots, (b) => b.status.pendingProvisioningReboots));
    if (c.errorCode !== undefined) {
      const code = (b: BaseReadout) => b.status.firmwareUpdate.code ?? b.status.provisioning.code ?? 'none';
      items.push({ what: 'error', want: c.errorCode, test: (b) => code(b) === c.errorCode, show: code });
    }
    return quantify(c.base === ALL ? 'bases' : `base ${c.base}`, r.bases(c.base).map((b) => ({ name: b.mac, device: b })), items, c.count);
  }
  if ('handset' in check) {
    const c = check;
    const items: Array<Item<HandsetView>> = [];
    if (c.state !== undefined) items.push({ what: 'state', want: c.state, test: (h) => h.state === c.state, show: (h) => h.state });
    if (c.registered !== undefined) {
      const words = (on: boolean) => (on ? 'registered' : 'not registered');
      items.push({ what: 'registration', want: words(c.registered), test: (h) => (h.baseMac !== null) === c.registered, show: (h) => words(h.baseMac !== null) });
    }
    if (c.firmware !== undefined) items.push({ what: 'firmware', want: c.firmware, test: (h) => h.firmware === c.firmware, show: (h) => h.firmware });
    if (c.screen !== undefined) items.push({ what: 'screen', want: c.screen, test: (h) => h.screen === c.screen, show: (h) => String(h.screen) });
    if (c.display !== undefined) {
      const text = c.display;
      items.push({
        what: 'display',
        want: `shows "${text}"`,
        test: (h) => h.display.some((line) => line.includes(text)),
        show: (h) => JSON.stringify(h.display.map((l) => l.trim()).filter(Boolean).join(' | ')),
      });
    }
    if (c.lineState !== undefined) items.push({ what: 'line', want: c.lineState, test: (h) => (h.line?.state ?? 'none') === c.lineState, show: (h) => h.line?.state ?? 'none' });
    return quantify(c.handset === ALL ? 'handsets' : `handset ${c.handset}`, r.handsets(c.handset).map((h) => ({ name: h.ipei, device: h })), items, c.count);
  }
  const c = check;
  const items: Array<Item<DeviceView>> = [];
  if (c.list !== undefined) {
    const lists: string[] = typeof c.list === 'string' ? [c.list] : c.list;
    items.push({ what: 'list', want: lists.map((l) => `"${l}"`).join(' or '), test: (d) => lists.includes(d.list), show: (d) => `"${d.list}"` });
  }
  if (c.userStatus !== undefined) {
    items.push({ what: 'user status', want: String(c.userStatus), test: (d) => d.userStatus === c.userStatus, show: (d) => String(d.userStatus) });
  }
  if (c.user !== undefined) {
    const upn = c.user.toLowerCase();
    items.push({ what: 'user', want: c.user, test: (d) => d.user?.upn.toLowerCase() === upn, show: (d) => d.user?.upn ?? 'none' });
  }
  const devices = r.teamsDevices(c.teams).map((d) => ({ name: d.macAddress, device: d }));
  return quantify(c.teams === ALL ? 'Teams admin center devices' : `Teams admin center device ${c.teams}`, devices, items, c.count);
}

function counted<T>(what: string, m: NumberMatch, n: (d: T) => number): Item<T> {
  return { what, want: describeNumber(m), test: (d) => matchNumber(m, n(d)), show: (d) => String(n(d)) };
}

function quantify<T>(label: string, devices: Array<{ name: string; device: T }>, items: Array<Item<T>>, count: NumberMatch | undefined): CheckResult {
  const wanted = items.map((k) => `${k.what} ${k.want}`).join(', ') || 'listed';
  const quantity = count === undefined ? (devices.length === 1 ? '' : 'every one: ') : `${describeNumber(count)} of them: `;
  const expectation = `${label}: ${quantity}${wanted}`;
  if (devices.length === 0 && (count === undefined || !matchNumber(count, 0))) return { ok: false, expectation, actual: 'none found' };
  let matching = 0;
  const misses: string[] = [];
  for (const { name, device } of devices) {
    const failed = items.filter((k) => !k.test(device));
    if (failed.length === 0) matching++;
    else if (misses.length < 5) misses.push(`${devices.length > 1 ? `${name}: ` : ''}${failed.map((k) => `${k.what} ${k.show(device)}`).join(', ')}`);
  }
  const ok = count === undefined ? matching === devices.length : matchNumber(count, matching);
  const tally = devices.length > 1 || count !== undefined ? `${matching} of ${devices.length} match` : '';
  const actual = [tally, ...(ok ? [] : misses)].filter(Boolean).join('; ') || 'as expected';
  return { ok, expectation, actual };
}

/**
 * The trainee's answer to a question, as it is kept: a choice as written in `choices` (the trainee may give its
 * number, 1 for the first, or its words in any case), a number as a decimal (`95`, `1.5`, `1,5`). `why` when it is
 * not an answer to this question: the caller says so and keeps nothing.
 */
export function readAnswer(question: Question, given: string): { value: string } | { why: string } {
  const text = given.trim();
  if ('choices' in question) {
    const { choices } = question;
    const listed = choices.map((c, i) => `${i + 1}. ${c}`).join('; ');
    if (/^\d+$/.test(text)) {
      const n = Number(text);
      return n >= 1 && n <= choices.length ? { value: choices[n - 1]! } : { why: `there is no choice ${n}: answer 1 to ${choices.length} (${listed})` };
    }
    const picked = choices.find((c) => c.toLowerCase() === text.toLowerCase());
    return picked !== undefined ? { value: picked } : { why: `"${text}" is not one of the choices: answer with its number or its words (${listed})` };
  }
  const n = Number(text.replace(',', '.'));
  if (text === '' || !Number.isFinite(n)) return { why: `"${text}" is not a number: answer with a number${question.unit ? ` of ${question.unit}` : ''}` };
  return { value: String(n) };
}

/**
 * A question against the trainee's answer. What is expected is not shown (the trainee reads this): only whether the
 * answer was right.
 */
export function runQuestion(question: Question, answer: string | undefined): CheckResult {
  const expectation = 'choices' in question ? 'the right choice' : `a number in the accepted range${question.unit ? ` (${question.unit})` : ''}`;
  const wrong = (actual: string): CheckResult => ({ ok: false, expectation, actual, ...(question.fail !== undefined ? { fail: question.fail } : {}) });
  if (answer === undefined) return wrong('not answered yet');
  const read = readAnswer(question, answer);
  if ('why' in read) return wrong(`answered "${answer}": ${read.why}`);
  const shown = 'choices' in question ? `answered "${read.value}"` : `answered ${read.value}${question.unit ? ` ${question.unit}` : ''}`;
  if ('choices' in question) return read.value === question.answer ? { ok: true, expectation, actual: shown } : wrong(shown);
  const n = Number(read.value);
  const { min, max } = question.number;
  return (min === undefined || n >= min) && (max === undefined || n <= max) ? { ok: true, expectation, actual: shown } : wrong(shown);
}

/**
 * The answer to keep when the trainee answers task `taskId`'s question with `given` (the task panel and
 * `rove-sim check --answer` call this): throws ANSWER_NO_QUESTION or ANSWER_INVALID, saying what to answer.
 */
export function answerTask(exercise: Exercise, taskId: string, given: string): string {
  const task = exercise.tasks.find((t) => t.id === taskId);
  if (!task?.question) {
    throw new ERR_ANSWER_NO_QUESTION(taskId, exercise.tasks.filter((t) => t.question).map((t) => t.id).join(', ') || 'none');
  }
  const read = readAnswer(task.question, given);
  if ('why' in read) throw new ERR_ANSWER_INVALID(taskId, read.why);
  return read.value;
}
