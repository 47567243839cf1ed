/**
 * `register: { handsets }`: the guide's registration of each selected handset — Specific Handsets → slot → Register
 * on the base, Settings → Connectivity → Register on the handset, the base chosen from the list, the access code.
 * Bases in parallel; on each base its handsets one after the other (one registration window at a time). `timeout`
 * (default 10 min) bounds each wait for the base and the handset.
 */
import type { BaseStation } from '../../devices/base-station/base-station.ts';
import type { Handset } from '../../devices/handset/handset.ts';
import type { NamedHandset } from '../build-lab.ts';
import { parseDuration } from '../duration.ts';
import { screenText } from './handset-screen.ts';
import type { StepContext } from './step-context.ts';
import type { StepKind } from './step-kind.ts';

const REGISTER_TIMEOUT_MS = 10 * 60_000;

export const registerStep: StepKind<'register'> = {
  async run(step, ctx) {
    const timeout = step.timeout !== undefined ? parseDuration(step.timeout)! : REGISTER_TIMEOUT_MS;
    await registerHandsets(ctx, ctx.directory.selectHandsets(step.register.handsets), timeout);
  },
};

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

/** One handset on one base: undefined when it is in service there, else what went wrong. */
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
  // The screen as the view names it (`view().screen` is the UI phase), read without building a whole view per check.
  await driver.until(() => handset.phase.ui !== 'scanning', 60_000);
  if (handset.phase.ui !== 'choosing-base') return `no base in registration mode found: ${screenText(handset)}`;
  for (let i = 0; i < 50 && highlightedEntry(handset) !== base.mac; i++) handset.press('{down}');
  if (highlightedEntry(handset) !== base.mac) return `base not listed: ${screenText(handset)}`;
  handset.press('{ok}');
  handset.press(`${base.flash.settings.accessCode || '0000'}{ok}`);
  if (!(await driver.until(() => inService() && handset.phase.ui !== 'registering', timeoutMs))) {
    return `not in service: ${screenText(handset)}`;
  }
  await driver.until(() => handset.phase.ui === 'idle', 60_000);
  return undefined;
}

function selectMenu(handset: Handset, label: string): boolean {
  for (let i = 0; i < 12; i++) {
    const row = handset.displayLines().map((l) => l.trim()).find((l) => l.startsWith('>'));
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
