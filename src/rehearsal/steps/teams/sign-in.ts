/**
 * `teams: { signIn: <handsets>, user?, spacing? }`: the user at each handset in turn (`spacing` apart): the idle
 * screen's "Sign in" soft key, then the code from its screen on the device login page. Each outcome is recorded.
 */
import { signInOnDeviceLogin } from '../../../cloud/teams/device-login/device-login-flow.ts';
import type { Handset } from '../../../devices/handset/handset.ts';
import { faultsOf } from '../../../live/faults/fault-board.ts';
import { parseDuration } from '../../duration.ts';
import { HANDSET_READY_WAIT_MS, screenText } from '../handset-screen.ts';
import { runOne, type StepContext } from '../step-context.ts';
import type { TeamsActionOf } from './teams-action.ts';

const PAIRING_EXPIRY_WAIT_MS = 60_000;

export async function signIn(action: TeamsActionOf<'signIn'>, ctx: StepContext): Promise<void> {
  const { directory, recorder } = ctx;
  const spacing = action.spacing !== undefined ? parseDuration(action.spacing)! : 0;
  await runOne(ctx.driver, async () => {
    for (const [n, h] of directory.selectHandsets(action.signIn).entries()) {
      if (n > 0 && spacing > 0) await ctx.driver.sleep(Math.round(spacing * ctx.userPace));
      const upn = action.user ?? h.user;
      if (!upn) {
        ctx.fail(`handset ${h.id} signs in`, 'no user: give the handset a user in the lab or the step a user');
        continue;
      }
      const result = await signInOnHandset(ctx, ctx.lab.handsets.get(h.ipei)!, upn);
      recorder.add({ kind: 'sign-in', device: h.id, ok: result.ok, detail: upn, ...(result.ok ? {} : { reason: result.reason }) });
    }
  });
}

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
  // The Teams words in the language of the handset's provisioning URL (lang_xx): "Sign in", "Code:" in English.
  const words = handset.phone.teamsWords;
  if (!ready() || !softKeys.trimEnd().endsWith(` ${words.signIn}`)) {
    return { ok: false, reason: `no ${words.signIn} soft key: ${screenText(handset)}` };
  }
  // Keys act at once (no lab time passes; awaiting anything but until/sleep here would let the driver move the clock).
  handset.press('{soft2}');
  const code = shown().find((l) => l.startsWith(`${words.code} `))?.slice(words.code.length + 1).trim();
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
