import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../support/lab.ts';
import {
  ADMIN_LOGIN,
  FACTORY_LOGIN,
  get,
  MAC,
  NEW_PASSWORD,
  openConfiguredWebAdmin,
  openWebAdmin,
  post,
  visibleText,
  type WebAdminWorld,
} from './web-admin-client.ts';

describe('Logging in to the base web admin (seed 000: admin / admin, then change the password)', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('asks for credentials with a realm naming the base', async () => {
    world = await openWebAdmin();
    const res = await get(world.app, '');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain(`realm="Rove B4 ${MAC}"`);
    expect(visibleText(res.body)).toContain('Log in to the web admin of this base with the user name admin');
  });

  it('with admin / admin, every page leads to the change-password form until the password is changed', async () => {
    world = await openWebAdmin();
    for (const page of ['', 'auto-provisioning', 'wan-settings', 'dect-summary', 'specific-handsets', 'reboot', 'configuration', 'config-export']) {
      const res = await get(world.app, page, FACTORY_LOGIN);
      expect(res.statusCode, page).toBe(303);
      expect(res.headers.location, page).toBe('./change-password');
    }
    // Forms are not applied either.
    const sneaky = await post(world.app, 'reboot', { action: 'forced-reboot' }, FACTORY_LOGIN);
    expect(sneaky.statusCode).toBe(303);
    expect(world.base.state).toBe('running');

    const form = await get(world.app, 'change-password', FACTORY_LOGIN);
    expect(form.statusCode).toBe(200);
    expect(visibleText(form.body)).toContain('The factory password must be changed before the base can be configured.');
    expect(form.body).not.toContain('href="auto-provisioning"');
  });

  it('refuses a weak password with the reason, and a confirmation that differs', async () => {
    world = await openWebAdmin();
    const weak = await post(world.app, 'change-password', { newPassword: 'rove', confirmPassword: 'rove' }, FACTORY_LOGIN);
    expect(weak.statusCode).toBe(400);
    expect(visibleText(weak.body)).toContain('Password not changed: The password must have at least 8 characters.');

    const admin1 = await post(world.app, 'change-password', { newPassword: 'admin123', confirmPassword: 'admin123' }, FACTORY_LOGIN);
    expect(visibleText(admin1.body)).toContain('The password must not be "admin" or "admin" followed by digits.');
    // "admin" itself is refused for being the factory password, not for being short.
    const admin = await post(world.app, 'change-password', { newPassword: 'admin', confirmPassword: 'admin' }, FACTORY_LOGIN);
    expect(visibleText(admin.body)).toContain('The password must not be "admin" or "admin" followed by digits.');

    const noDigit = await post(world.app, 'change-password', { newPassword: 'roverover', confirmPassword: 'roverover' }, FACTORY_LOGIN);
    expect(visibleText(noDigit.body)).toContain('The password must contain at least one letter and one digit.');

    const mismatch = await post(world.app, 'change-password', { newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}x` }, FACTORY_LOGIN);
    expect(mismatch.statusCode).toBe(400);
    expect(visibleText(mismatch.body)).toContain('The two passwords do not match.');

    expect(world.base.mustChangePassword).toBe(true);
  });

  it('after the change the old password fails and the new one opens Home/Status', async () => {
    world = await openWebAdmin();
    const changed = await post(world.app, 'change-password', { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FACTORY_LOGIN);
    expect(changed.statusCode).toBe(200);
    expect(visibleText(changed.body)).toContain('Password changed.');

    expect((await get(world.app, '', FACTORY_LOGIN)).statusCode).toBe(401);
    const home = await get(world.app, '', ADMIN_LOGIN);
    expect(home.statusCode).toBe(200);
    expect(visibleText(home.body)).toContain('Home/Status');
    expect(visibleText(home.body)).toContain('MAC address 00:04:F2:A0:00:01');
  });

  it('the user name must be admin', async () => {
    world = await openConfiguredWebAdmin();
    expect((await get(world.app, '', { user: 'root', password: NEW_PASSWORD })).statusCode).toBe(401);
  });

  it('locks a client out after 5 failed logins within 5 minutes, on the lab clock, and lets it in again afterwards', async () => {
    world = await openConfiguredWebAdmin();
    const wrong = { user: 'admin', password: 'Guess1234' };
    for (let i = 1; i <= 4; i++) {
      expect((await get(world.app, '', wrong)).statusCode, `attempt ${i}`).toBe(401);
      await world.lab.clock.advance(10_000);
    }
    const fifth = await get(world.app, '', wrong);
    expect(fifth.statusCode).toBe(403);
    // The lab starts at 09:00 UTC, the base is up at 09:01:30; the 5th failure (09:02:10) locks for 5 minutes.
    const text = visibleText(fifth.body);
    expect(text).toContain('Too many failed logins from 127.0.0.1');
    expect(text).toContain('Try again after 2026-11-02 09:07:10 UTC');

    // Even the right password is refused while locked; another address is not affected.
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(403);
    expect((await get(world.app, '', ADMIN_LOGIN, '192.0.2.10')).statusCode).toBe(200);

    await world.lab.clock.advance(4 * MINUTE);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(403);
    await world.lab.clock.advance(1 * MINUTE);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(200);
  });

  it('failures spread over more than 5 minutes do not lock out', async () => {
    world = await openConfiguredWebAdmin();
    for (let i = 0; i < 8; i++) {
      expect((await get(world.app, '', { user: 'admin', password: 'Guess1234' })).statusCode).toBe(401);
      await world.lab.clock.advance(2 * MINUTE);
    }
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(200);
  });

  it('a reboot of the base ends a lockout (the list of failures lives in RAM)', async () => {
    world = await openConfiguredWebAdmin();
    for (let i = 0; i < 5; i++) await get(world.app, '', { user: 'admin', password: 'Guess1234' });
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(403);

    world.base.send({ type: 'FORCED_REBOOT', reason: 'power cycle by the technician' });
    await world.lab.clock.advanceUntil(() => world.base.state === 'running', 5 * MINUTE);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(200);
  });

  it('a successful login forgets earlier failures', async () => {
    world = await openConfiguredWebAdmin();
    const wrong = { user: 'admin', password: 'Guess1234' };
    for (let i = 0; i < 4; i++) await get(world.app, '', wrong);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await get(world.app, '', wrong)).statusCode).toBe(401);
  });
});

describe('Finding a base web admin', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('accepts the MAC in upper or lower case, with or without separators, and adds the trailing slash', async () => {
    world = await openConfiguredWebAdmin();
    for (const mac of ['0004f2a00001', '00:04:F2:A0:00:01', '00-04-f2-a0-00-01']) {
      const res = await world.app.inject({ url: `/bases/${mac}/`, headers: { authorization: `Basic ${Buffer.from(`admin:${NEW_PASSWORD}`).toString('base64')}` } });
      expect(res.statusCode, mac).toBe(200);
    }
    const bare = await world.app.inject({ url: '/bases/0004f2a00001' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('./0004f2a00001/');
  });

  it('answers 404 for a MAC that is not in the lab and for a page the base does not have', async () => {
    world = await openConfiguredWebAdmin();
    const unknown = await world.app.inject({ url: '/bases/0004F2FFFFFF/' });
    expect(unknown.statusCode).toBe(404);
    expect(visibleText(unknown.body)).toContain('There is no base station with MAC 0004F2FFFFFF in this lab.');
    expect((await get(world.app, 'no-such-page', ADMIN_LOGIN)).statusCode).toBe(404);
  });

  it('uses only relative links, so the same pages work at / of the base’s own port', async () => {
    world = await openConfiguredWebAdmin();
    for (const page of ['', 'auto-provisioning', 'wan-settings', 'configuration', 'reboot', 'dect-summary', 'specific-handsets', 'change-password']) {
      const body = (await get(world.app, page, ADMIN_LOGIN)).body;
      const targets = [...body.matchAll(/(?:href|action|src)="([^"]*)"/g)].map((m) => m[1]!);
      expect(targets.length, page).toBeGreaterThan(0);
      for (const target of targets) {
        expect(target === '/static/admin/admin.css' || !/^(\/|[a-z]+:)/i.test(target), `${page}: ${target}`).toBe(true);
      }
    }
  });
});
