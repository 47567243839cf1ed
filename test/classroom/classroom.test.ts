/**
 * A classroom of two trainees on first-login-and-firmware.yaml, on real loopback ports (each trainee's ports are
 * behind their door: the raw server checks the cookie before Fastify sees the request), labs on paused clocks:
 *
 * - the login page lets each trainee in with their own password, and the instructor with theirs;
 * - a trainee's cookie opens every port of their lab and none of the other trainee's (task panel, handset pages,
 *   control API, console WebSocket, base web admin, Teams admin center): 302 to the login page or 401;
 * - the instructor sees both trainees' tasks, score, hints, time and devices, resets a trainee to the exercise start,
 *   gives more time, opens the trainee's event log in the replay viewer, and exports CSV and JSON;
 * - the classroom killed and started again on the same directory continues every trainee's lab and progress.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningClassroom, startClassroom } from '../../src/classroom/start-classroom.ts';
import type { TraineeRoom } from '../../src/classroom/trainee-room.ts';
import { MINUTE } from '../support/lab.ts';

const EXERCISE = path.resolve('fixtures/exercises/first-login-and-firmware.yaml');
const INSTRUCTOR = 'teach-the-class-1';
const NEW_PASSWORD = 'Rollout2026';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function login(classroom: RunningClassroom, user: string, password: string): Promise<string> {
  const res = await classroom.app.inject({ method: 'POST', url: '/login', payload: { login: user, password } });
  expect(res.statusCode, `${user} logs in`).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0]!;
}

function openConsole(url: string, cookie: string): Promise<{ status: number } | { frame: { type: string } }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { cookie } });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('message', (data) => {
      resolve({ frame: JSON.parse(String(data)) as { type: string } });
      ws.close();
    });
    ws.once('error', () => undefined);
  });
}

describe('A classroom of two trainees', () => {
  let dir: string;
  let classroom: RunningClassroom;
  let ann: TraineeRoom;
  let bob: TraineeRoom;
  let annCookie: string;
  let bobCookie: string;
  let teacher: string;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-classroom-'));
    classroom = await startClassroom({ exercise: EXERCISE, dir, trainees: 2, port: 0, instructorPassword: INSTRUCTOR, paused: true, log: (l) => printed.push(l) });
    [ann, bob] = [...classroom.rooms.values()] as [TraineeRoom, TraineeRoom];
    // The bases boot (90 s) before their web admins answer.
    await Promise.all([ann, bob].map((r) => r.lab.clock.advance(2 * MINUTE)));
  });

  afterAll(async () => {
    await classroom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every login once with its password and URLs, and writes them to DIR/trainees.csv', () => {
    const passwords = classroom.generated.trainees!;
    expect(passwords.map((t) => t.login)).toEqual(['trainee01', 'trainee02']);
    for (const t of passwords) expect(printed.some((l) => l.includes(`login ${t.login} password ${t.password}: task panel http://127.0.0.1:`))).toBe(true);
    expect(readFileSync(path.join(dir, 'trainees.csv'), 'utf8')).toBe(`name,login,password\n${passwords.map((t) => `${t.name},${t.login},${t.password}`).join('\n')}\n`);
    expect(readFileSync(path.join(dir, 'classroom.json'), 'utf8')).not.toContain(passwords[0]!.password);
    expect(ann.variables).toEqual({});
    expect([ann.trainee.seed, bob.trainee.seed]).toEqual([1, 2]);
  });

  it('lets a trainee in with their own password only, and sends them to their task panel', async () => {
    const [a, b] = classroom.generated.trainees!;
    const wrong = await classroom.app.inject({ method: 'POST', url: '/login', payload: `login=trainee01&password=${b!.password}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Wrong login or password.');
    const right = await classroom.app.inject({ method: 'POST', url: '/login', payload: `login=trainee01&password=${a!.password}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(ann.urls.taskPanel);
    expect(String(right.headers['set-cookie'])).toMatch(/^rove-trainee-trainee01=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    annCookie = await login(classroom, 'trainee01', a!.password);
    bobCookie = await login(classroom, 'trainee02', b!.password);
    teacher = await login(classroom, 'instructor', INSTRUCTOR);
  });

  it("opens every port of the trainee's own lab", async () => {
    const panel = await fetch(ann.urls.taskPanel, { headers: { cookie: annCookie } });
    expect(panel.status).toBe(200);
    const text = await panel.text();
    expect(text).toContain('First login and firmware update');
    expect(text).toContain('Log in and change the factory password');
    expect((await fetch(ann.urls.handsets, { headers: { cookie: annCookie } })).status).toBe(200);
    // The control API is the instructor's (training mode), but it is the trainee's door that lets the request reach it.
    expect((await fetch(`${ann.urls.main}api/bases`, { headers: { cookie: annCookie } })).status).toBe(403);
    expect((await fetch(ann.urls.teams, { headers: { cookie: annCookie } })).status).toBe(200);
    // The base's own login comes after the door: the device asks for admin / admin.
    expect((await fetch(ann.urls.bases[0]!.url, { headers: { cookie: annCookie } })).status).toBe(401);
    expect((await fetch(ann.urls.bases[0]!.url, { headers: { cookie: annCookie, authorization: basic('admin', 'admin') }, redirect: 'manual' })).headers.get('location')).toBe('./change-password');
    const ipei = [...ann.lab.handsets.keys()][0]!;
    const console = await openConsole(`${ann.urls.main.replace('http', 'ws')}consoles/${ipei}`, annCookie);
    expect(console).toEqual({ frame: expect.objectContaining({ type: 'hello' }) });
  });

  it('keeps the fault board and the answer-revealing texts from trainees (training mode), even the instructor in their lab', async () => {
    for (const cookie of [annCookie, teacher]) {
      const page = await fetch(`${ann.urls.main}lab/faults/`, { headers: { cookie, accept: 'text/html' } });
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('403 Not for trainees');
      const api = await fetch(`${ann.urls.main}api/faults`, { headers: { cookie } });
      expect(api.status).toBe(403);
      expect(await api.json()).toMatchObject({ code: 'TRAINING_FAULTS_HIDDEN' });
    }
    const home = await fetch(ann.urls.main, { headers: { cookie: annCookie }, redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/training/');
    const provision = await (await fetch(`${ann.urls.teams}devices/provision`, { headers: { cookie: annCookie } })).text();
    expect(provision).toContain('Add the MAC addresses of devices');
    expect(provision).not.toContain('followed by the handset');
  });

  it("refuses every port of the other trainee's lab, with the cookie of another trainee or none", async () => {
    const ipei = [...bob.lab.handsets.keys()][0]!;
    const pages = [bob.urls.taskPanel, bob.urls.handsets, `${bob.urls.handsets}${ipei}/`, bob.urls.teams, bob.urls.deviceLogin, bob.urls.bases[0]!.url, `${bob.urls.bases[0]!.url}status`, `${bob.urls.main}static/admin/admin.css`];
    for (const cookie of [annCookie, '']) {
      for (const url of pages) {
        const page = await fetch(url, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
        expect(page.status, url).toBe(302);
        expect(page.headers.get('location')).toBe(`${classroom.url}/?trainee=trainee02`);
        const api = await fetch(url, { headers: { cookie, authorization: basic('admin', 'admin') }, redirect: 'manual' });
        expect(api.status, url).toBe(401);
        expect(await api.json()).toMatchObject({ code: 'CLASSROOM_LOGIN_REQUIRED', message: `This is Trainee 02's lab: log in as trainee02 on the classroom's login page (${classroom.url}/).` });
      }
      const change = await fetch(`${bob.urls.main}api/handsets/${ipei}/keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ keys: '{menu}' }) });
      expect(change.status).toBe(401);
      expect(await openConsole(`${bob.urls.main.replace('http', 'ws')}consoles/${ipei}`, cookie)).toEqual({ status: 401 });
    }
    // A forged session under the right name is no better.
    const forged = `rove-trainee-trainee02=${'0'.repeat(64)}`;
    expect((await fetch(bob.urls.taskPanel, { headers: { cookie: forged } })).status).toBe(401);
    expect((await fetch(bob.urls.taskPanel, { headers: { cookie: bobCookie } })).status).toBe(200);
  });

  it("keeps the instructor's pages from trainees", async () => {
    for (const url of ['/instructor/classroom.json', '/instructor/results.csv', '/instructor/trainees/trainee02/events.jsonl']) {
      const res = await classroom.app.inject({ url, headers: { cookie: annCookie } });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ code: 'CLASSROOM_INSTRUCTOR_ONLY' });
    }
    const reset = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/trainee02/reset', payload: {}, headers: { cookie: annCookie } });
    expect(reset.statusCode).toBe(401);
    const page = await classroom.app.inject({ url: '/instructor/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/');
  });

  it("shows the instructor each trainee's tasks, score, hints, time and devices as they work", async () => {
    // Ann changes the factory password on her base's web admin, asks for the hint of the second task, presses Check.
    const form = await fetch(`${ann.urls.bases[0]!.url}change-password`, {
      method: 'POST',
      headers: { cookie: annCookie, authorization: basic('admin', 'admin'), 'content-type': 'application/x-www-form-urlencoded' },
      body: `newPassword=${NEW_PASSWORD}&confirmPassword=${NEW_PASSWORD}`,
      redirect: 'manual',
    });
    expect(form.status).toBeLessThan(400);
    const hint = await fetch(`${ann.urls.taskPanel}hints/firmware-settings`, {
      method: 'POST',
      headers: { cookie: annCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=yes',
      redirect: 'manual',
    });
    expect(hint.status).toBe(303);
    expect(await (await fetch(ann.urls.taskPanel, { headers: { cookie: annCookie } })).text()).toContain('FirmwareServer http://downloads.polycom.com/');
    expect((await fetch(`${ann.urls.taskPanel}check`, { method: 'POST', headers: { cookie: annCookie }, redirect: 'manual' })).status).toBe(303);

    const res = await classroom.app.inject({ url: '/instructor/classroom.json', headers: { cookie: teacher } });
    expect(res.statusCode).toBe(200);
    const [a, b] = res.json().trainees;
    expect(a).toMatchObject({
      login: 'trainee01',
      score: 10,
      maxScore: 50,
      passed: 1,
      hintsUsed: 1,
      timeLimitMs: 30 * MINUTE,
      extensionMs: 0,
      checkpoints: ['exercise-start'],
      devices: { bases: [{ mac: '0004F2A00001', model: 'B4', state: 'running', firmware: '8.0.0.0402' }], handsetsRegistered: 0, signedIn: 0 },
    });
    expect(a.tasks.map((t: { status: string }) => t.status)).toEqual(['passed', 'failed', 'failed']);
    expect(a.remainingMs).toBe(30 * MINUTE - a.elapsedMs);
    expect(a.devices.handsets).toHaveLength(4);
    expect(b).toMatchObject({ login: 'trainee02', score: 0, passed: 0, hintsUsed: 0 });
    expect(b.tasks.map((t: { status: string }) => t.status)).toEqual(['failed', 'not-checked', 'not-checked']);
    // What Ann did stays in her lab: Bob's base still has its factory password.
    expect(bob.lab.getBase('0004F2A00001')!.mustChangePassword).toBe(true);
  });

  it("gives a trainee more time, and opens the trainee's event log in the replay viewer", async () => {
    const extend = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/trainee01/extend', payload: { minutes: 10 }, headers: { cookie: teacher } });
    expect(extend.statusCode).toBe(200);
    expect(extend.json()).toMatchObject({ extensionMs: 10 * MINUTE, message: 'Trainee 01 has 10 more minutes.' });
    expect(ann.timing().remainingMs).toBe(40 * MINUTE - ann.timing().elapsedMs);
    const bad = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/trainee01/extend', payload: { minutes: 0 }, headers: { cookie: teacher } });
    expect(bad.json()).toMatchObject({ statusCode: 400, code: 'CLASSROOM_EXTEND_INVALID' });
    const nobody = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/carol/extend', payload: { minutes: 5 }, headers: { cookie: teacher } });
    expect(nobody.json()).toMatchObject({ statusCode: 404, message: 'no trainee "carol" in this classroom (trainees: trainee01, trainee02)' });

    const viewer = await classroom.app.inject({ url: '/instructor/trainees/trainee01/replay/', headers: { cookie: teacher } });
    expect(viewer.statusCode).toBe(200);
    expect(viewer.body).toContain('data-events="/instructor/trainees/trainee01/replay/events.json"');
    const log = (await classroom.app.inject({ url: '/instructor/trainees/trainee01/replay/events.json', headers: { cookie: teacher } })).json();
    expect(log.header).toMatchObject({ type: 'rove-sim-events', scenario: 'First login and firmware update — Trainee 01 (trainee01)', seed: 1 });
    const steps = log.events.filter((e: { kind: string }) => e.kind === 'step').map((e: { state: string; detail: string }) => `${e.state}: ${e.detail}`);
    expect(steps).toEqual(['Hint: Set up Auto Firmware Update (−10 points)', 'Check: 1 of 3 tasks passed, score 10/50', 'More time: 10 min more (instructor)']);
    expect(log.events).toContainEqual(expect.objectContaining({ kind: 'base', device: '0004F2A00001', state: 'running' }));
  });

  it("resets a trainee's lab to the exercise start: the task passed before fails again", async () => {
    const res = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/trainee01/reset', payload: { checkpoint: 'exercise-start' }, headers: { cookie: teacher } });
    expect(res.statusCode).toBe(200);
    expect(res.json().message).toBe('Trainee 01\'s lab is back at checkpoint "exercise-start"; its devices power on again.');
    const unknown = await classroom.app.inject({ method: 'POST', url: '/instructor/trainees/trainee01/reset', payload: { checkpoint: 'nope' }, headers: { cookie: teacher } });
    expect(unknown.json()).toMatchObject({ statusCode: 404, code: 'CHECKPOINT_NOT_FOUND' });
    await ann.lab.clock.advance(2 * MINUTE);
    const status = await ann.status();
    expect(status.tasks[0]).toMatchObject({ status: 'failed', text: 'The base still has its factory password — log in to its web admin and set a new one.' });
    // The hint stays used, and so does the time given.
    expect(status).toMatchObject({ hintsUsed: 1, extensionMs: 10 * MINUTE });
    const log = ann.events.read();
    expect(log.events.filter((e) => e.kind === 'step').at(-1)).toMatchObject({ state: 'Reset', detail: 'lab put back to checkpoint "exercise-start" (instructor)' });
  });

  it('exports the results as CSV and JSON', async () => {
    const csv = await classroom.app.inject({ url: '/instructor/results.csv', headers: { cookie: teacher } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="results.csv"');
    const [header, first, second, end] = csv.body.split('\r\n');
    expect(header).toBe(
      'name,login,seed,score,max_score,tasks_passed,tasks,hints_used,elapsed_min,remaining_min,extension_min,login_status,login_points,firmware-settings_status,firmware-settings_points,firmware-installed_status,firmware-installed_points',
    );
    expect(first).toMatch(/^Trainee 01,trainee01,1,0,50,0,3,1,[\d.]+,[\d.]+,10,failed,0,not-checked,0,not-checked,0$/);
    expect(second).toMatch(/^Trainee 02,trainee02,2,0,50,0,3,0,[\d.]+,[\d.]+,0,failed,0,not-checked,0,not-checked,0$/);
    expect(end).toBe('');
    const json = await classroom.app.inject({ url: '/instructor/results.json', headers: { cookie: teacher } });
    expect(json.headers['content-disposition']).toBe('attachment; filename="results.json"');
    expect(json.json()).toMatchObject({ exercise: 'First login and firmware update', trainees: [{ login: 'trainee01', hintsUsed: 1 }, { login: 'trainee02' }] });
  });

  it('continues every lab and every trainee where they were after the classroom is stopped and started again', async () => {
    // Bob changes his password; then the classroom stops (the labs keep what was acknowledged).
    const form = await fetch(`${bob.urls.bases[0]!.url}change-password`, {
      method: 'POST',
      headers: { cookie: bobCookie, authorization: basic('admin', 'admin'), 'content-type': 'application/x-www-form-urlencoded' },
      body: `newPassword=${NEW_PASSWORD}&confirmPassword=${NEW_PASSWORD}`,
      redirect: 'manual',
    });
    expect(form.status).toBeLessThan(400);
    await classroom.close();
    printed.length = 0;
    classroom = await startClassroom({ exercise: EXERCISE, dir, port: 0, paused: true, log: (l) => printed.push(l) });
    [ann, bob] = [...classroom.rooms.values()] as [TraineeRoom, TraineeRoom];
    expect(classroom.generated).toEqual({});
    expect(printed.join('\n')).not.toContain(' password ');
    await Promise.all([ann, bob].map((r) => r.lab.clock.advance(2 * MINUTE)));
    // The same cookies still open the same trainee's lab (new ports), and only theirs.
    expect((await fetch(bob.urls.taskPanel, { headers: { cookie: bobCookie } })).status).toBe(200);
    expect((await fetch(bob.urls.taskPanel, { headers: { cookie: annCookie } })).status).toBe(401);
    const res = await classroom.app.inject({ url: '/instructor/classroom.json', headers: { cookie: teacher } });
    const [a, b] = res.json().trainees;
    expect(a).toMatchObject({ login: 'trainee01', hintsUsed: 1, extensionMs: 10 * MINUTE, score: 0 });
    expect(b).toMatchObject({ login: 'trainee02', score: 10, passed: 1 });
    expect(ann.events.read().events.filter((e) => e.kind === 'step').map((e) => e.state)).toEqual(['Hint', 'Check', 'More time', 'Reset']);
  });

  it('refuses to continue the directory with another exercise', async () => {
    await expect(startClassroom({ exercise: path.resolve('fixtures/exercises/register-handset.yaml'), dir, port: 0, paused: true, log: () => undefined })).rejects.toThrow(
      `${dir} holds a classroom of another exercise (${EXERCISE}): give that exercise, or another --dir for a new classroom`,
    );
  });
});
