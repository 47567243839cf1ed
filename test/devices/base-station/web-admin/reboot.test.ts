import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../support/lab.ts';
import { ADMIN_LOGIN, FACTORY_LOGIN, get, openConfiguredWebAdmin, post, visibleText, type WebAdminWorld } from './web-admin-client.ts';

describe('System Management → Reboot', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('explains REBOOT and FORCED REBOOT the way the RTX manual does', async () => {
    world = await openConfiguredWebAdmin();
    const text = visibleText((await get(world.app, 'reboot', ADMIN_LOGIN)).body);
    expect(text).toContain('REBOOT Reboots the base when it is idle: it waits until calls, directory access and a firmware update have ended.');
    expect(text).toContain('FORCED REBOOT Reboots the base immediately.');
  });

  it('REBOOT restarts an idle base: the web admin is unreachable (503) meanwhile, then the reboot is counted and logged', async () => {
    world = await openConfiguredWebAdmin();
    const before = world.base.status().reboots;

    const res = await post(world.app, 'reboot', { action: 'reboot' }, ADMIN_LOGIN);
    expect(res.statusCode).toBe(200);
    expect(visibleText(res.body)).toContain('REBOOT: the base is restarting now.');
    expect(world.base.state).toBe('rebooting');

    const down = await get(world.app, '', ADMIN_LOGIN);
    expect(down.statusCode).toBe(503);
    expect(visibleText(down.body)).toContain('is not reachable: it is rebooting (state: rebooting)');
    await world.lab.clock.advanceUntil(() => world.base.state === 'booting', MINUTE);
    expect(visibleText((await get(world.app, '', ADMIN_LOGIN)).body)).toContain('it is booting');

    await world.lab.clock.advanceUntil(() => world.base.state === 'running', 5 * MINUTE);
    const home = await get(world.app, '', ADMIN_LOGIN);
    expect(home.statusCode).toBe(200);
    const text = visibleText(home.body);
    expect(text).toContain(`Reboots ${before + 1}`);
    expect(text).toContain('2026-11-02 09:01:30 UTC REBOOT (web admin)');
  });

  it('REBOOT during a call waits for the call to end; FORCED REBOOT does not wait', async () => {
    world = await openConfiguredWebAdmin();
    world.base.send({ type: 'CALL_STARTED' });
    const waiting = await post(world.app, 'reboot', { action: 'reboot' }, ADMIN_LOGIN);
    expect(visibleText(waiting.body)).toContain('REBOOT requested: the base reboots as soon as calls and the firmware update have ended.');
    expect(visibleText((await get(world.app, '', ADMIN_LOGIN)).body)).toContain('Reboot pending REBOOT (web admin): waiting until calls and the firmware update end');

    const forced = await post(world.app, 'reboot', { action: 'forced-reboot' }, ADMIN_LOGIN);
    expect(visibleText(forced.body)).toContain('FORCED REBOOT: the base is restarting now.');
    expect(world.base.status().rebootLog[0]?.reason).toBe('FORCED REBOOT (web admin)');
  });

  it('refuses an unknown action', async () => {
    world = await openConfiguredWebAdmin();
    const res = await post(world.app, 'reboot', { action: 'shutdown' }, ADMIN_LOGIN);
    expect(res.statusCode).toBe(400);
    expect(visibleText(res.body)).toContain('Choose REBOOT or FORCED REBOOT.');
    expect(world.base.state).toBe('running');
  });

  it('a factory reset needs confirmation, then brings back admin / admin', async () => {
    world = await openConfiguredWebAdmin();
    const unconfirmed = await post(world.app, 'factory-reset', {}, ADMIN_LOGIN);
    expect(unconfirmed.statusCode).toBe(400);
    expect(visibleText(unconfirmed.body)).toContain('Tick the confirmation to reset this base to factory defaults.');
    expect(world.base.mustChangePassword).toBe(false);

    const reset = await post(world.app, 'factory-reset', { confirm: 'yes' }, ADMIN_LOGIN);
    expect(visibleText(reset.body)).toContain('Log in again as admin / admin and change the password.');
    await world.lab.clock.advanceUntil(() => world.base.state === 'running', 5 * MINUTE);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(401);
    const gate = await get(world.app, '', FACTORY_LOGIN);
    expect(gate.statusCode).toBe(303);
    expect(gate.headers.location).toBe('./change-password');
  });
});
