/**
 * A fault injected on a running simulator survives a kill (SIGKILL right after the answer): started again on the
 * same lab file, the fault board lists it and the base still cannot reach the internet; undone and killed again, it
 * is gone. Real processes, real HTTP on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulatorProcess as start, type SimulatorProcess } from '../support/simulator-process.ts';

const MAC = '0004F2A00001';

interface Fault {
  id: string;
  type: string;
  bases: string[];
  since: number;
  until: number | null;
}

async function activeFaults(url: string): Promise<Fault[]> {
  const res = await fetch(`${url}/api/faults`);
  return ((await res.json()) as { active: Fault[] }).active;
}

describe('A fault survives a kill of the simulator', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-fault-kill-'));
  const file = path.join(dir, 'lab.db');
  let sim: SimulatorProcess | undefined;
  afterAll(async () => {
    await sim?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('injected, killed, started again: still active and shown on the fault board; undone, killed, started: gone', async () => {
    sim = await start(file);
    const injected = await fetch(`${sim.url}/api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'router', type: 'site-network-loss', bases: [MAC], durationMs: 24 * 3_600_000 }),
    });
    expect(injected.status).toBe(201);
    const fault = (await injected.json()) as Fault;
    await sim.kill();

    sim = await start(file);
    expect(await activeFaults(sim.url)).toEqual([fault]);
    const board = await (await fetch(`${sim.url}/lab/faults/`)).text();
    expect(board).toContain('<td><code>router</code></td><td>Network loss for a site</td><td>network down for 1 base(s)</td>');
    const undone = await fetch(`${sim.url}/api/faults/router`, { method: 'DELETE' });
    expect(undone.status).toBe(200);
    await sim.kill();

    sim = await start(file);
    expect(await activeFaults(sim.url)).toEqual([]);
    expect(await (await fetch(`${sim.url}/lab/faults/`)).text()).toContain('No fault is active: the lab behaves normally.');
    await sim.kill();
    sim = undefined;
  });
});
