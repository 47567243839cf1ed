/**
 * A lab keeps the firmware behaviour it lived with: the profile overrides a rehearsal (or a test) opened it with are
 * kept in the file, so the same lab started again (`rove-sim start --lab FILE`) behaves the same; another profile
 * starts without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { ROVE_8_0_PROFILE } from '../../src/devices/base-station/firmware-profile.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function reopen(file: string, options: Partial<Parameters<typeof Lab.open>[0]> = {}) {
  const lab = await Lab.open({ file, clock: new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true }), ...options });
  const profile = { name: lab.profile.name, handsetSlots: lab.profile.handsetSlots, bootMs: lab.profile.bootMs };
  await lab.close();
  return profile;
}

describe('Profile overrides of a lab file', () => {
  it('are kept across restarts, and dropped when the lab is started with another profile', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-overrides-'));
    dirs.push(dir);
    const file = path.join(dir, 'lab.db');
    expect(await reopen(file, { profileOverrides: { handsetSlots: 2, bootMs: 1_000 } })).toEqual({ name: 'rove-8.0', handsetSlots: 2, bootMs: 1_000 });
    expect(await reopen(file)).toEqual({ name: 'rove-8.0', handsetSlots: 2, bootMs: 1_000 });
    expect(await reopen(file, { profile: 'no-reboot-on-sign-in' })).toEqual({ name: 'no-reboot-on-sign-in', handsetSlots: ROVE_8_0_PROFILE.handsetSlots, bootMs: ROVE_8_0_PROFILE.bootMs });
    expect(await reopen(file, { profile: 'rove-8.0' })).toEqual({ name: 'rove-8.0', handsetSlots: ROVE_8_0_PROFILE.handsetSlots, bootMs: ROVE_8_0_PROFILE.bootMs });
  });
});
