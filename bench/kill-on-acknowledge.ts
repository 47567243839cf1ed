/**
 * Kill -9 on acknowledge, at scale: N rounds (default 200) of a mixed workload against a real `rove-sim start` at
 * ×60 — web-admin saves, control-API settings, password changes, added handsets, clock jumps — each round SIGKILLs the
 * simulator the moment one change was answered (some rounds after a random extra delay of 0–30 ms, so kills also land
 * between requests), starts it again on the same lab file and checks that every change acknowledged so far is there
 * and that the lab clock is not behind what it answered. Prints lost/total; exits 1 if anything was lost or a start
 * failed. Usage: node --import tsx bench/kill-on-acknowledge.ts [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulatorProcess as start } from '../test/support/simulator-process.ts';

const MAC = '0004F2A00001';
const rounds = Number(process.argv[2] ?? 200);

const auth = (p: string) => `Basic ${Buffer.from(`admin:${p}`).toString('base64')}`;
const json = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function running(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const b = (await (await fetch(`${url}/api/bases/${MAC}`)).json()) as { state: string };
    if (b.state === 'running') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('base did not come up');
}

const dir = mkdtempSync(path.join(tmpdir(), 'rove-kill-'));
const file = path.join(dir, 'lab.db');
let password = 'admin';
let ntp = '';
let webAdminTz = '';
let clockAcked = 0;
const handsets: string[] = [];
let acknowledged = 0;
let lost = 0;
const t0 = Date.now();
try {
  for (let round = 0; round < rounds; round++) {
    const sim = await start(file);
    // Check everything acknowledged so far.
    const clock = (await (await fetch(`${sim.url}/api/clock`)).json()) as { now: number };
    if (clock.now < clockAcked) lost++, console.log(`round ${round}: clock ${clock.now} behind acknowledged ${clockAcked}`);
    const listed = ((await (await fetch(`${sim.url}/api/handsets`)).json()) as { items: Array<{ ipei: string }> }).items.map((h) => h.ipei);
    for (const h of handsets) if (!listed.includes(h)) lost++, console.log(`round ${round}: handset ${h} lost`);
    // The password first: until it is changed the base shows only its change-password page (as the device does).
    const kind = [1, 0, 2, 3, 4][round % 5]!;
    await running(sim.url);
    if (password !== 'admin') {
      const res = await fetch(`${sim.url}/bases/${MAC}/wan-settings`, { headers: { authorization: auth(password) } });
      const wan = await res.text();
      if (res.status !== 200) lost++, console.log(`round ${round}: password lost (HTTP ${res.status})`);
      if (ntp && !wan.includes(ntp)) lost++, console.log(`round ${round}: API setting ${ntp} lost`);
      if (webAdminTz && !wan.includes(webAdminTz)) lost++, console.log(`round ${round}: web admin save ${webAdminTz} lost`);
    }
    // One change, answered, then the kill.
    let ok = false;
    if (kind === 0) {
      const next = `ntp${round}.example.org`;
      ok = (await json(`${sim.url}/api/bases/${MAC}/settings`, { ntpServer: next })).status === 200;
      if (ok) ntp = next;
    } else if (kind === 1) {
      const next = `Rollout${round}x`;
      const r = await fetch(`${sim.url}/bases/${MAC}/change-password`, {
        method: 'POST',
        headers: { authorization: auth(password), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ newPassword: next, confirmPassword: next }).toString(),
      });
      ok = r.status === 200;
      if (ok) password = next;
    } else if (kind === 2) {
      const tz = ['Europe/Berlin', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'][round % 4]!;
      const page = await (await fetch(`${sim.url}/bases/${MAC}/wan-settings`, { headers: { authorization: auth(password) } })).text();
      const fields = Object.fromEntries([...page.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
      fields['timeZone'] = tz;
      const r = await fetch(`${sim.url}/bases/${MAC}/wan-settings`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: auth(password), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      ok = r.status === 303;
      if (ok) webAdminTz = tz;
    } else if (kind === 3) {
      const r = await json(`${sim.url}/api/handsets`, { model: round % 2 ? 'Rove 30' : 'Rove 40' });
      ok = r.status === 201;
      if (ok) handsets.push(((await r.json()) as { ipei: string }).ipei);
    } else {
      const r = await json(`${sim.url}/api/clock`, { advanceMs: 60_000 });
      ok = r.status === 200;
      if (ok) clockAcked = ((await r.json()) as { now: number }).now;
    }
    if (ok) acknowledged++;
    else console.log(`round ${round}: change ${kind} not acknowledged`);
    if (round % 3 === 0) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
    await sim.kill();
    if (round % 20 === 19) console.log(`${round + 1}/${rounds} rounds, ${acknowledged} acknowledged, ${lost} lost (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`kill on acknowledge: ${rounds} kills, ${acknowledged} acknowledged changes, ${lost} lost`);
process.exitCode = lost === 0 && acknowledged === rounds ? 0 : 1;
