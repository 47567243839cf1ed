/**
 * "Saved" means saved: the simulator is killed (SIGKILL) the moment it has answered a change, then started again on
 * the same lab file; every acknowledged change must be there, and the lab clock must not be behind the time it
 * answered. Real processes, real HTTP on loopback, a bounded number of kills (the long run is in docs/performance.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulatorProcess as start } from '../support/simulator-process.ts';

const MAC = '0004F2A00001';
const PASSWORDS = ['Rollout2026a', 'Rollout2026b', 'Rollout2026c'];

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

const post = (url: string, body: unknown) =>
  json<Record<string, unknown>>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Waits (real time, bounded) until the base runs: at ×60 its 90 s boot takes 1.5 s. */
async function baseRunning(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { body } = await json<{ state: string }>(`${url}/api/bases/${MAC}`);
    if (body.state === 'running') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('base did not come up');
}

const auth = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('A change the simulator acknowledged survives a kill right after the answer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-ack-'));
  const file = path.join(dir, 'lab.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('settings, added handsets, web-admin password changes and clock jumps, each killed at once, are all there after a restart', async () => {
    let password = 'admin';
    let clockAcknowledged = 0;
    const handsets: string[] = [];
    const intervals: number[] = [];
    for (let round = 0; round < 2; round++) {
      // 1. A setting from the control API.
      let sim = await start(file);
      await baseRunning(sim.url);
      intervals.push(3600 + round);
      const saved = await post(`${sim.url}/api/bases/${MAC}/settings`, { ntpServer: `ntp${3600 + round}.example.org` });
      expect(saved.status).toBe(200);
      await sim.kill();

      // 2. A handset added.
      sim = await start(file);
      const added = await post(`${sim.url}/api/handsets`, { model: 'Rove 30' });
      expect(added.status).toBe(201);
      handsets.push(added.body.ipei as string);
      await sim.kill();

      // 3. The web admin's password change (the base insists on one first; later rounds change it again).
      sim = await start(file);
      await baseRunning(sim.url);
      const next = PASSWORDS[round]!;
      const form = new URLSearchParams({ newPassword: next, confirmPassword: next });
      const changed = await fetch(`${sim.url}/bases/${MAC}/change-password`, {
        method: 'POST',
        headers: { authorization: auth(password), 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(changed.status).toBe(200);
      password = next;
      await sim.kill();

      // 4. The lab clock moved ahead by an hour.
      sim = await start(file);
      const moved = await post(`${sim.url}/api/clock`, { advanceMs: 3_600_000 });
      expect(moved.status).toBe(200);
      clockAcknowledged = moved.body.now as number;
      await sim.kill();

      // After each round: everything acknowledged so far is in the lab.
      sim = await start(file);
      const clock = await json<{ now: number }>(`${sim.url}/api/clock`);
      expect(clock.body.now).toBeGreaterThanOrEqual(clockAcknowledged);
      const listed = await json<{ items: Array<{ ipei: string }> }>(`${sim.url}/api/handsets`);
      expect(listed.body.items.map((h) => h.ipei)).toEqual(expect.arrayContaining(handsets));
      await baseRunning(sim.url);
      const page = await fetch(`${sim.url}/bases/${MAC}/`, { headers: { authorization: auth(password) } });
      expect(page.status).toBe(200);
      const wan = await fetch(`${sim.url}/bases/${MAC}/wan-settings`, { headers: { authorization: auth(password) } });
      expect(await wan.text()).toContain(`ntp${intervals.at(-1)}.example.org`);
      await sim.kill();
    }
  }, 180_000);
});
