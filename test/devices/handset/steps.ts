/**
 * Steps a technician takes with a handset, written once so the stories read like the guide. Everything goes through
 * the public surface: `handset.press()` and what `handset.view()` shows.
 */
import type { BaseStation } from '../../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../../src/devices/handset/handset.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE } from '../../support/lab.ts';

/** The screen as trimmed lines. */
export function screen(handset: Handset): string[] {
  return handset.view().display.map((line) => line.trim());
}

/** The menu row marked `>`, without the marker. */
export function highlightedRow(handset: Handset): string | undefined {
  return screen(handset).find((line) => line.startsWith('>'))?.slice(1).trim();
}

/** Moves the highlight down to `label` (as displayed) and selects it with OK. */
export function select(handset: Handset, label: string): void {
  for (let i = 0; i < 10 && highlightedRow(handset) !== label; i++) handset.press('{down}');
  if (highlightedRow(handset) !== label) throw new Error(`no menu row "${label}" on screen:\n${screen(handset).join('\n')}`);
  handset.press('{ok}');
}

/** From the idle screen: Menu, then each label in turn (e.g. Settings → Connectivity → Register). */
export function openMenuPath(handset: Handset, ...labels: string[]): void {
  handset.press('{menu}');
  for (const label of labels) select(handset, label);
}

/** Waits (on the lab clock) until the lab's base and the given handsets have settled after power-on. */
export async function waitForBootedLab(lab: Lab, base: BaseStation, ...handsets: Handset[]): Promise<void> {
  const settled = () =>
    base.state === 'running' && handsets.every((h) => h.state === 'unregistered' || h.state === 'in-service');
  if (!(await lab.clock.advanceUntil(settled, 10 * MINUTE))) throw new Error('the lab did not come up');
}

/**
 * The guide's registration on the handset side: Settings → Connectivity → Register, select the entry for `base`,
 * enter the access code and OK. Leaves the handset showing the base's answer.
 */
export async function registerOnHandset(lab: Lab, handset: Handset, entryLabel: string, accessCode = '0000'): Promise<void> {
  openMenuPath(handset, 'Settings', 'Connectivity', 'Register');
  await lab.clock.advanceUntil(() => handset.view().screen !== 'scanning', MINUTE);
  if (handset.view().screen !== 'choosing-base') return;
  select(handset, entryLabel);
  if (handset.view().screen !== 'entering-code') return;
  handset.press(`${accessCode}{ok}`);
  await lab.clock.advanceUntil(() => handset.view().screen === 'notice', MINUTE);
}

/** Specific Handsets → slot → Register, then the handset side; resolves when the handset is in service. */
export async function registerHandset(lab: Lab, base: BaseStation, handset: Handset, slot: number): Promise<void> {
  base.openRegistration(slot);
  await registerOnHandset(lab, handset, entryLabelOf(base));
  if (!(await lab.clock.advanceUntil(() => handset.state === 'in-service' && handset.view().screen === 'idle', MINUTE))) {
    throw new Error(`registration failed:\n${screen(handset).join('\n')}`);
  }
}

/** How the handset's Register list names a base. */
export function entryLabelOf(base: BaseStation): string {
  return `Rove ${base.flash.model} ${base.mac.slice(6)}`;
}
