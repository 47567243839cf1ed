/**
 * `teams: { enroll: <handsets>, code? }`: the guide's enrollment on the handset. The code is the step's, or the one
 * generated for the handset in this run (generated now for a provisioned device that has none); with the
 * `expired-codes` fault the technician comes back after the codes expired. Then, at each handset in turn, `*55*<code>`
 * and green, and the answer is recorded.
 */
import { hardwareIdForIpei } from '../../../cloud/teams/devices/hardware-id.ts';
import type { Handset } from '../../../devices/handset/handset.ts';
import { faultsOf } from '../../../live/faults/fault-board.ts';
import { formatDuration } from '../../duration.ts';
import { HANDSET_READY_WAIT_MS, screenText } from '../handset-screen.ts';
import { runOne, type StepContext } from '../step-context.ts';
import type { TeamsActionOf } from './teams-action.ts';

const CODE_EXPIRY_WAIT_MS = 24 * 3_600_000 + 60_000;
const ENROLL_ANSWER_WAIT_MS = 60_000;

export async function enroll(action: TeamsActionOf<'enroll'>, ctx: StepContext): Promise<void> {
  const { lab, directory, recorder } = ctx;
  const teams = lab.teams;
  const handsets = directory.selectHandsets(action.enroll);
  const codes = handsets.map((h) => {
    const hw = hardwareIdForIpei(h.ipei);
    const device = teams.device(hw);
    if (action.code) return action.code;
    if (!ctx.codes.has(hw) && device?.state === 'provisioned') ctx.codes.set(hw, teams.generateVerificationCode(hw).code);
    return ctx.codes.get(hw) ?? '';
  });
  if (faultsOf(lab).expiredCodes) await runOne(ctx.driver, () => ctx.driver.sleep(CODE_EXPIRY_WAIT_MS));
  // The technician at each handset in turn: *55*<code> and green, then the answer (three busy tones, or the error).
  await runOne(ctx.driver, async () => {
    for (const [i, h] of handsets.entries()) {
      const result = await enrollOnKeypad(ctx, lab.handsets.get(h.ipei)!, codes[i]!);
      recorder.add({ kind: 'enroll', device: h.id, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) });
    }
  });
}

/**
 * Once the handset is idle in service with its line up (waiting at most 10 min, as a technician would), `*55*<code>`
 * and green through the same key path as the `press` step; the gateway's answer is the outcome — three busy tones
 * (enrolled), or the error tone with the words the SIP answer carries (the service's refusal) or, when no call could
 * be placed, what the handset shows.
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
