/**
 * Steps for multi-cell stories: enable multi-cell on a B4 as the Multi-cell page does (save, then reboot) and wait
 * until the base has joined its system.
 */
import type { BaseStation } from '../../../src/devices/base-station/base-station.ts';
import type { BaseSettings } from '../../../src/devices/base-station/parameters.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE } from '../../support/lab.ts';

/** Save multi-cell settings and reboot; resolves when the base runs them and (as a secondary) is Locked. */
export async function joinSystem(lab: Lab, base: BaseStation, settings: Partial<BaseSettings>): Promise<void> {
  await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
  const saved = base.updateSettings({ multiCellSystem: 'Enabled', systemChainId: '512', ...settings });
  if (!saved.ok) throw new Error(saved.errors.map((e) => e.message).join('; '));
  base.send({ type: 'REBOOT', reason: 'Multi-cell settings' });
  const joined = () =>
    base.state === 'running' && lab.radio.chain(base.mac).find((r) => r.mac === base.mac)?.syncState === 'Locked';
  if (!(await lab.clock.advanceUntil(joined, 10 * MINUTE))) throw new Error(`base ${base.mac} did not join its system`);
}

/** The default lab's B4 as primary of chain 512 and two more B4 as its secondaries. */
export async function threeBaseSystem(lab: Lab): Promise<{ primary: BaseStation; secondaries: BaseStation[] }> {
  const primary = lab.getBase('0004F2A00001')!;
  const secondaries = [lab.addBase({ model: 'B4' }), lab.addBase({ model: 'B4' })];
  await joinSystem(lab, primary, { baseRole: 'Primary' });
  for (const base of secondaries) await joinSystem(lab, base, { baseRole: 'Secondary' });
  return { primary, secondaries };
}

/** Sync state of each base of the system, primary first. */
export function syncStates(lab: Lab, base: BaseStation): string[] {
  return lab.radio.chain(base.mac).map((r) => r.syncState);
}
