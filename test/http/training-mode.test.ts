/**
 * Training mode hides what would give a trainee the answers, and changes nothing outside it. The same lab is served
 * by two apps side by side — as `rove-sim start` serves it, and as `rove-sim train` / `classroom` serve a trainee's:
 *
 * - the base's web admin shows the simulator's hint column (the guide's values, the Teams ConfigURL) outside training,
 *   and in training the form the device itself shows, without that column;
 * - the Teams admin center explains the "00" + IPEI rule in its lead text and Add pane outside training; in training it
 *   does not, until the trainee has made the mistake (the refused row then says it, as the real error does); a
 *   user's page shows the lab's note on the user (what is wrong with it) outside training only;
 * - the fault board (page and API) works outside training and is refused in training with a message saying why;
 *   the lab overview `/` (it lists active faults) sends the trainee to their trainee view.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { buildApp } from '../../src/http/build-app.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { faultsOf } from '../../src/live/faults/fault-board.ts';
import { ADMIN_LOGIN, FACTORY_LOGIN, get, MAC, NEW_PASSWORD, post, visibleText } from '../devices/base-station/web-admin/web-admin-client.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

const CONFIG_URL_HINT = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';
const ROVE_RULE = '"00" followed by the handset\'s IPEI';

describe('Training mode', () => {
  let lab: Lab;
  let plain: FastifyInstance;
  let training: FastifyInstance;
  let plainTeams: FastifyInstance;
  let trainingTeams: FastifyInstance;

  beforeAll(async () => {
    lab = await openTestLab();
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 10 * MINUTE);
    plain = await buildApp({ lab });
    training = await buildApp({ lab, training: { home: '/training/' } });
    plainTeams = await buildTeamsAdminCenter({ gateway: lab.teams });
    trainingTeams = await buildTeamsAdminCenter({ gateway: lab.teams, training: true });
    const changed = await post(plain, 'change-password', { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FACTORY_LOGIN);
    expect(changed.statusCode).toBe(200);
  });

  afterAll(async () => {
    for (const app of [plain, training, plainTeams, trainingTeams]) await app?.close();
    await lab?.close();
  });

  it('the web admin shows its hint column outside training, and the device\'s own form in training', async () => {
    const outside = await get(plain, 'auto-provisioning', ADMIN_LOGIN);
    expect(outside.statusCode).toBe(200);
    expect(outside.body).toContain('<td class="hint" id="configUrl-hint">');
    expect(visibleText(outside.body)).toContain(CONFIG_URL_HINT);

    const inside = await get(training, 'auto-provisioning', ADMIN_LOGIN);
    expect(inside.statusCode).toBe(200);
    expect(inside.body).not.toContain('class="hint"');
    expect(inside.body).not.toContain('-hint');
    expect(visibleText(inside.body)).not.toContain(CONFIG_URL_HINT);
    expect(visibleText(inside.body)).not.toContain('Firmware server URL, e.g. http://downloads.polycom.com/');
    // The form itself is the same: every field, its label and value.
    expect(inside.body).toContain('<label for="configUrl">ConfigURL</label>');
    expect(inside.body).toContain('id="firmwareServer" name="firmwareServer"');

    for (const page of ['wan-settings', 'specific-handsets', 'central-directory']) {
      expect((await get(plain, page, ADMIN_LOGIN)).body, page).toContain('class="hint"');
      const body = (await get(training, page, ADMIN_LOGIN)).body;
      expect(body, page).not.toContain('class="hint"');
    }
    // The lab's own directory server and its password are the simulator's note, not the device's.
    expect((await get(plain, 'central-directory', ADMIN_LOGIN)).body).toContain('Directory-2026');
    expect((await get(training, 'central-directory', ADMIN_LOGIN)).body).not.toContain('Directory-2026');
  });

  it('the admin center explains "00" + IPEI outside training; in training only once the trainee has got it wrong', async () => {
    for (const url of ['/devices/provision', '/devices/provision?tab=activation&pane=add']) {
      expect(visibleText((await plainTeams.inject(url)).body), url).toContain(ROVE_RULE);
      const inside = await trainingTeams.inject(url);
      expect(inside.statusCode, url).toBe(200);
      expect(visibleText(inside.body), url).not.toContain(ROVE_RULE);
      expect(visibleText(inside.body), url).toContain('Add the MAC addresses of devices to provision them remotely');
    }
    expect((await plainTeams.inject('/devices/bulk-sign-in')).body).toContain('00${IPEI}.cfg</code>)');
    expect((await trainingTeams.inject('/devices/bulk-sign-in')).body).not.toContain('one file per handset');

    // The trainee enters the base's MAC: refused, and now the rule is explained beside the row.
    const wrong = await trainingTeams.inject({
      method: 'POST',
      url: '/devices/provision/add',
      payload: `mac=${MAC}&location=Lab`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(visibleText(wrong.body)).toContain(ROVE_RULE);
  });

  it("the admin center shows a user's trainer note outside training only; the page is otherwise the same", async () => {
    const url = `/users/${encodeURIComponent('warehouse.dect2@contoso.com')}`;
    const note = 'Misconfigured for bulk sign-in: no CommonAreaPhone IP phone policy.';
    expect(visibleText((await plainTeams.inject(url)).body)).toContain(note);
    const inside = await trainingTeams.inject(url);
    expect(inside.statusCode).toBe(200);
    expect(visibleText(inside.body)).not.toContain(note);
    expect(visibleText(inside.body)).toContain('warehouse.dect2@contoso.com');
    expect(inside.body).toContain('<label for="ipPhonePolicy">IP phone policy</label>');
  });

  it('refuses the fault board, the control API and checkpoints in training, as pages and as the API, and keeps them outside training', async () => {
    expect((await plain.inject({ url: '/lab/faults/', headers: { accept: 'text/html' } })).statusCode).toBe(200);
    expect((await plain.inject('/api/faults')).statusCode).toBe(200);

    const page = await training.inject({ url: '/lab/faults/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(403);
    expect(visibleText(page.body)).toContain("The fault board is the instructor's: in training mode a trainee cannot see or change the lab's faults.");
    for (const request of [
      { method: 'GET' as const, url: '/api/faults' },
      { method: 'GET' as const, url: '/API/Faults' },
      { method: 'GET' as const, url: '//api//faults/' },
      { method: 'GET' as const, url: '/lab/%66aults/' },
      { method: 'POST' as const, url: '/api/faults', payload: { type: 'dns-failure' } },
      { method: 'DELETE' as const, url: '/api/faults/f1' },
      { method: 'POST' as const, url: '/lab/faults/inject', payload: { type: 'dns-failure' } },
    ]) {
      const res = await training.inject(request);
      expect(res.statusCode, `${request.method} ${request.url}`).toBe(403);
      expect(res.json(), `${request.method} ${request.url}`).toMatchObject({ code: 'TRAINING_FAULTS_HIDDEN' });
    }
    expect(faultsOf(lab).list()).toEqual([]);

    // The control API and the checkpoints page: a trainee could set settings, restore a solved lab or reset devices.
    expect((await plain.inject('/api/bases')).statusCode).toBe(200);
    expect((await plain.inject({ url: '/lab/checkpoints/', headers: { accept: 'text/html' } })).statusCode).toBe(200);
    const checkpoints = await training.inject({ url: '/lab/checkpoints/', headers: { accept: 'text/html' } });
    expect(checkpoints.statusCode).toBe(403);
    expect(visibleText(checkpoints.body)).toContain("The control API and checkpoints are the instructor's");
    for (const request of [
      { method: 'GET' as const, url: '/api/bases' },
      { method: 'GET' as const, url: '/api' },
      { method: 'GET' as const, url: '/Api/Checkpoints' },
      { method: 'POST' as const, url: '/api/checkpoints', payload: { name: 'mine' } },
      { method: 'POST' as const, url: '/lab/checkpoints/restore', payload: { name: 'scenario-start' } },
      { method: 'POST' as const, url: '//lab/%63heckpoints/factory-reset', payload: { device: 'x' } },
    ]) {
      const res = await training.inject(request);
      expect(res.statusCode, `${request.method} ${request.url}`).toBe(403);
      expect(res.json(), `${request.method} ${request.url}`).toMatchObject({ code: 'TRAINING_CONTROL_HIDDEN' });
    }

    // The lab overview lists the active faults: in training `/` is the trainee view.
    expect((await plain.inject('/')).statusCode).toBe(200);
    const home = await training.inject('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/training/');
  });
});
