/**
 * A lab written by a rehearsal (`rove-sim rehearse … --lab FILE`) and then started live (`rove-sim start --lab FILE`)
 * goes on where the rehearsal ended: lab time continues from the lab's own clock, so the Teams gateway keeps its
 * signed-in devices and the bases only power on, as after any restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/http/start-server.ts';
import { buildLab } from '../../src/rehearsal/build-lab.ts';
import { importInventory } from '../../src/rehearsal/plan/inventory-import.ts';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { readFileSync } from 'node:fs';
import { loadScenarioFile } from '../../src/rehearsal/scenario-loader.ts';

const MINUTE = 60_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Continuing a rehearsed lab live', () => {
  it("starts at the rehearsal's end, keeps the signed-in handset signed in, and reboots no base", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-continue-'));
    dirs.push(dir);
    const labFile = path.join(dir, 'rollout.db');
    const { main } = await rehearse(loadScenarioFile('fixtures/scenarios/guide-single-handset.yaml'), { labFile });
    expect(main.failures).toEqual([]);
    expect(main.report.totals.handsetsSignedIn).toBe(1);
    const end = Date.parse(main.report.start) + main.report.virtualMs;

    const banner: string[] = [];
    const sim = await startSimulator({ labFile, host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, sipPort: null, speed: 1, log: (l) => banner.push(l) });
    try {
      const lab = sim.lab;
      const openedAt = lab.clock.now();
      expect(openedAt).toBeGreaterThanOrEqual(end);
      expect(openedAt).toBeLessThan(end + MINUTE);
      const said = banner.map((l) => /^ {2}Lab time continues from the rehearsal: (\S+) \(scenario "(.*)"; the lab's own clock, not today\)$/.exec(l)).find(Boolean);
      expect(said?.[2]).toBe('Guide rollout of one handset');
      // The base by the name and site the scenario gave it, beside its MAC, as the lab overview lists it.
      const mac = [...lab.bases.keys()][0]!;
      const named = lab.deviceNames!.bases[mac]!;
      expect(banner.some((l) => l.startsWith(`  ${named.name} (${named.site}), Rove B`) && l.includes(' web admin: http://127.0.0.1:'))).toBe(true);
      expect(Date.parse(said![1]!)).toBeGreaterThanOrEqual(end);
      expect(Date.parse(said![1]!)).toBeLessThanOrEqual(lab.clock.now());
      const reboots = () => [...lab.bases.values()].map((b) => b.flash.reboots.log.filter((e) => e.kind === 'reboot').length);
      const rebootsAtOpen = reboots();

      // A quarter of an hour of live lab time: the base powers on, its handset finds it again, its line comes back.
      await lab.clock.advance(15 * MINUTE);
      expect(lab.teams.devices().map((d) => [d.list, d.userStatus])).toEqual([['SIP devices', 'Signed in']]);
      expect([...lab.bases.values()].map((b) => b.state)).toEqual(['running']);
      expect(reboots()).toEqual(rebootsAtOpen);
      expect([...lab.handsets.values()].map((h) => h.state)).toEqual(['in-service']);
    } finally {
      await sim.close();
    }
  });

  it("a lab written by plan import says it starts where the imported plan starts, and shows the inventory's names", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-continue-'));
    dirs.push(dir);
    const labFile = path.join(dir, 'imported.db');
    const { scenario } = importInventory(readFileSync('fixtures/inventory/three-sites.csv', 'utf8'), { file: 'three-sites.csv' });
    const built = await buildLab(scenario, { seed: 1, file: labFile, madeBy: 'plan-import' });
    const start = built.lab.clock.now();
    await built.lab.close();

    const banner: string[] = [];
    const sim = await startSimulator({ labFile, host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, sipPort: null, speed: 1, log: (l) => banner.push(l) });
    try {
      expect(sim.lab.madeBy).toEqual({ kind: 'plan-import', scenario: 'Rollout of 5 bases and 6 handsets (three-sites.csv)' });
      expect(banner.some((l) => l.includes('continues from the rehearsal'))).toBe(false);
      const said = banner.map((l) => /^ {2}Lab time starts where the imported plan starts: (\S+) \(scenario "(.*)"; the lab's own clock, not today\)$/.exec(l)).find(Boolean);
      expect(said?.[2]).toBe('Rollout of 5 bases and 6 handsets (three-sites.csv)');
      expect(Date.parse(said![1]!)).toBeGreaterThanOrEqual(start);
      // The overview shows the inventory's names: the base with its site, the handset with the base it is on.
      const page = await (await fetch(sim.url)).text();
      expect(page).toContain('<th>Name</th><th>Site</th><th>Model</th><th>MAC</th>');
      expect(page).toMatch(/<tr><td>HQ-B02<\/td><td>Head office<\/td><td>Rove B4<\/td><td><code>00:04:F2:A0:00:02<\/code>/);
      expect(page).toMatch(/<tr><td>HS-003<\/td><td>Rove 30<\/td><td><code>0328D00003<\/code>/);
    } finally {
      await sim.close();
    }
  });
});
