/**
 * `rove-sim train` on first-login-and-firmware.yaml (a lab on a paused clock, real loopback ports, no login) and its
 * trainee view, driven with `inject()` as a trainee's browser would:
 *
 * - the start prints the URLs, the trainee view first, and every port answers without a login;
 * - the view shows the briefing as Markdown, the tasks in order (pending until done or checked), the time left, the
 *   score and the trainee's device pages beside the panel (framed: the device ports let the view frame them);
 * - a task done on the device page passes at once; Check shows the exercise's fail texts for what is not done;
 * - a hint is shown only when confirmed, costs its points, and stays shown; a task without a hint has none to show;
 * - without JavaScript, Check and the hint forms post and come back to the view;
 * - the fault board is refused and the web admin has no hint column;
 * - started again on the same directory, the lab and the trainee's progress go on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTraining, startTraining } from '../../src/classroom/start-training.ts';
import type { ViewStatus } from '../../src/classroom/trainee-view-status.ts';
import { visibleText } from '../devices/base-station/web-admin/web-admin-client.ts';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE } from '../support/lab.ts';

const EXERCISE = path.resolve('fixtures/exercises/first-login-and-firmware.yaml');
const MAC = '0004F2A00001';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('rove-sim train and the trainee view', () => {
  let dir: string;
  let training: RunningTraining;
  let app: FastifyInstance;
  const printed: string[] = [];

  const status = async (): Promise<ViewStatus> => {
    const res = await app.inject('/training/status.json');
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const json = (url: string, body: unknown = {}) => app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: { accept: 'application/json' } });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-train-'));
    training = await startTraining({ exercise: EXERCISE, dir, port: 0, paused: true, log: (l) => printed.push(l) });
    ({ app } = await training.room.build());
    // The base boots (90 s) before its web admin answers.
    await training.room.lab.clock.advance(2 * MINUTE);
  });

  afterAll(async () => {
    await training?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URLs, the trainee view first, and opens every port without a login', async () => {
    const { urls } = training.room;
    expect(printed[0]).toBe(`Rove Simulator training: "First login and firmware update" (lab ${path.join(dir, 'first-login-and-firmware.db')}, seed 1)`);
    expect(printed[1]).toBe(`  Trainee view:       ${urls.taskPanel}`);
    expect(printed.join('\n')).toContain(`Base ${MAC} web admin: ${urls.bases[0]!.url}`);
    expect(training.url).toBe(urls.taskPanel);
    expect((await fetch(urls.taskPanel)).status).toBe(200);
    expect((await fetch(urls.handsets)).status).toBe(200);
    expect((await fetch(urls.teams, { redirect: 'manual' })).status).toBe(302);
    // The base asks for its own login, as on the device; and lets the trainee view frame it.
    const base = await fetch(urls.bases[0]!.url);
    expect(base.status).toBe(401);
    expect(base.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${urls.main.slice(0, -1)}${urls.main.startsWith('http://127.0.0.1') ? ` http://localhost:${new URL(urls.main).port}` : ''}`);
    expect(base.headers.get('x-frame-options')).toBeNull();
  });

  it('shows the briefing, the tasks in order, the time left, the score and the device pages beside the panel', async () => {
    const res = await app.inject('/training/');
    expect(res.statusCode).toBe(200);
    const page = res.body;
    expect(page).toContain('It runs firmware <strong>8.0.0.0402</strong>');
    expect(page).toContain('<ol><li>Log in to the base&#39;s web admin (factory login <code>admin</code> / <code>admin</code>) and set a password of your own.</li>');
    const text = visibleText(page);
    expect(text).toContain('Time 28:00 left Score 0/50');
    expect(text).toContain('0 of 3 tasks passed');
    const order = ['task-login', 'task-firmware-settings', 'task-firmware-installed'].map((id) => page.indexOf(`id="${id}" class="task pending"`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(text).toContain('1. Log in and change the factory password Pending 0/10');
    expect(text).toContain('Not checked yet: press Check when you have done it.');
    expect(text).toContain('Not checked: "Log in and change the factory password" must pass first.');
    const { urls } = training.room;
    expect(page).toContain(`<iframe name="device" id="device" src="${urls.bases[0]!.url}" title="Device page"></iframe>`);
    for (const url of [urls.bases[0]!.url, urls.handsets, urls.teams, urls.deviceLogin]) expect(page).toContain(`href="${url}" target="device"`);
    expect(page).toContain('<script src="/static/training/trainee-view.js" defer></script>');
    expect((await app.inject('/static/training/trainee-view.js')).statusCode).toBe(200);
  });

  it('passes a task as soon as it is done on the device page; Check shows the fail texts of the rest', async () => {
    const changed = await app.inject({
      method: 'POST',
      url: `/bases/${MAC}/change-password`,
      headers: { authorization: basic('admin', 'admin'), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'newPassword=Rollout2026&confirmPassword=Rollout2026',
    });
    expect(changed.statusCode).toBe(200);
    let s = await status();
    expect(s).toMatchObject({ score: 10, maxScore: 50, passed: 1, checkedAt: null });
    expect(s.tasks.map((t) => [t.id, t.status, t.earned])).toEqual([
      ['login', 'passed', 10],
      ['firmware-settings', 'pending', 0],
      ['firmware-installed', 'pending', 0],
    ]);
    expect(s.tasks[0]!.text).toBe('The base no longer takes the factory password.');

    const checked = await json('/training/check');
    expect(checked.statusCode).toBe(200);
    s = checked.json();
    expect(s.checkedAt).toBe(new Date(training.room.lab.clock.now()).toISOString());
    expect(s.tasks[1]).toMatchObject({
      status: 'failed',
      text: 'Auto Firmware Update is not set up as the rollout guide says.',
      details: [
        "The base does not look for firmware on Poly's download server (FirmwareServer and FirmwarePath).",
        'The base does not check for firmware periodically every 30 minutes (Method and Interval).',
        "The base's own target firmware is not version 8003, branch 0009 (BaseFWVersion, BaseFwBranch).",
        'The handset images are not version 8003, branch 0009 for both the Rove 30 and the Rove 40.',
      ],
    });
    expect(s.tasks[2]).toMatchObject({ status: 'failed', text: 'The base does not run 8.0.3.0009 yet.' });
    // What the expectation of a check is (the answer) is never in what the trainee reads.
    expect(JSON.stringify(s)).not.toContain('downloads.polycom.com');
    expect(visibleText((await app.inject('/training/')).body)).toMatch(/Checked at \d\d:\d\d:\d\d \(lab time, UTC\): 1 of 3 tasks passed\./);
    expect(training.room.events.text()).toContain('1 of 3 tasks passed, score 10/50');
  });

  it('shows a hint only when confirmed, takes its points, and keeps it shown', async () => {
    const unconfirmed = await json('/training/hints/firmware-settings');
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json()).toMatchObject({ code: 'TRAINING_HINT_UNCONFIRMED', message: 'the hint of "firmware-settings" costs 10 points: send confirm=yes to see it' });
    expect((await status()).tasks[1]!.hint).toEqual({ cost: 10, used: false, text: null });
    expect((await app.inject('/training/')).body).toContain('Show the hint (−10 points)');

    const shown = await json('/training/hints/firmware-settings', { confirm: 'yes' });
    expect(shown.statusCode).toBe(200);
    expect((shown.json() as ViewStatus).tasks[1]!.hint).toMatchObject({ cost: 10, used: true, text: expect.stringContaining('FirmwareServer http://downloads.polycom.com/') });
    expect(visibleText((await app.inject('/training/')).body)).toContain('Hint: FirmwareServer http://downloads.polycom.com/');

    const none = await json('/training/hints/firmware-installed', { confirm: 'yes' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'TRAINING_HINT_NOT_FOUND', message: 'task "firmware-installed" has no hint (tasks with a hint: login, firmware-settings)' });

    // Done with the hint: the task earns its points less the hint's.
    // (Saved on the base as its web admin saves them: the control API is closed to trainees.)
    training.room.lab.bases.get(MAC)!.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    const s = await status();
    expect(s.tasks[1]).toMatchObject({ status: 'passed', earned: 10, points: 20, text: "Auto Firmware Update points at Poly's download server with the versions Teams needs.", details: [] });
    expect(s.score).toBe(20);
  });

  it('works without JavaScript: Check and the hint form post and come back to the view', async () => {
    const check = await app.inject({ method: 'POST', url: '/training/check' });
    expect(check.statusCode).toBe(303);
    expect(check.headers.location).toBe('./?checked=1');
    const hint = await app.inject({ method: 'POST', url: '/training/hints/login', payload: 'confirm=yes', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(hint.statusCode).toBe(303);
    expect(hint.headers.location).toBe('../?hint=login#task-login');
    expect(visibleText((await app.inject('/training/?hint=login')).body)).toContain('Hint: User admin, password admin');
  });

  it('keeps the fault board from the trainee and the hint column out of the web admin', async () => {
    const { urls } = training.room;
    const board = await fetch(`${urls.main}lab/faults/`, { headers: { accept: 'text/html' } });
    expect(board.status).toBe(403);
    expect(visibleText(await board.text())).toContain("The fault board is the instructor's");
    expect((await fetch(`${urls.main}api/faults`)).status).toBe(403);
    const form = await fetch(`${urls.bases[0]!.url}auto-provisioning`, { headers: { authorization: basic('admin', 'Rollout2026') } });
    expect(form.status).toBe(200);
    expect(await form.text()).not.toContain('class="hint"');
  });

  it('goes on where the trainee was when started again on the same directory', async () => {
    const before = await status();
    await training.close();
    printed.length = 0;
    training = await startTraining({ exercise: EXERCISE, dir, port: 0, paused: true, seed: 7, log: (l) => printed.push(l) });
    ({ app } = await training.room.build());
    expect(printed[0]).toContain(`${path.join(dir, 'first-login-and-firmware.db')} was started with seed 1: it keeps it`);
    const after = await status();
    expect(after.tasks.map((t) => t.hint?.used ?? null)).toEqual(before.tasks.map((t) => t.hint?.used ?? null));
    expect(after.checkedAt).toBe(before.checkedAt);
  });
});
