import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../support/lab.ts';
import {
  ADMIN_LOGIN,
  fieldError,
  formValues,
  get,
  labels,
  openConfiguredWebAdmin,
  post,
  submitForm,
  visibleText,
  type WebAdminWorld,
} from './web-admin-client.ts';

describe('System Management → WAN settings', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('sets the time zone and NTP server; every page then shows times in that zone', async () => {
    world = await openConfiguredWebAdmin();
    const page = await get(world.app, 'wan-settings', ADMIN_LOGIN);
    expect(Object.fromEntries(labels(page.body))).toEqual({ timeZone: 'Time Zone', ntpServer: 'NTP Server' });
    expect(page.body).toContain('<option value="Europe/Berlin">Europe/Berlin</option>');
    expect(visibleText(page.body)).toContain('Current time of the base: 2026-11-02 09:01:30 UTC');

    const saved = await submitForm(world.app, 'wan-settings', 'wan-settings', { timeZone: 'Europe/Berlin', ntpServer: 'ntp.example.net' }, ADMIN_LOGIN);
    expect(saved.statusCode).toBe(303);
    const after = await get(world.app, 'wan-settings?saved=1', ADMIN_LOGIN);
    expect(visibleText(after.body)).toContain('Settings saved');
    expect(visibleText(after.body)).toContain('Current time of the base: 2026-11-02 10:01:30 CET');
    expect(formValues(after.body, 'wan-settings')).toEqual({ timeZone: 'Europe/Berlin', ntpServer: 'ntp.example.net' });

    const home = visibleText((await get(world.app, '', ADMIN_LOGIN)).body);
    expect(home).toContain('Time 2026-11-02 10:01:30 CET');
    expect(home).toContain('2026-11-02 10:00:00 CET Power on');
  });

  it('refuses an unknown time zone and a bad NTP server name', async () => {
    world = await openConfiguredWebAdmin();
    const refused = await post(world.app, 'wan-settings', { timeZone: 'Europe/Atlantis', ntpServer: 'pool ntp org' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(fieldError(refused.body, 'timeZone')).toBe('Time Zone is not a known time zone (e.g. Europe/Berlin)');
    expect(fieldError(refused.body, 'ntpServer')).toBe('NTP Server must be a host name or IPv4 address (e.g. pool.ntp.org)');
    expect(formValues(refused.body, 'wan-settings')).toEqual({ timeZone: 'Europe/Atlantis', ntpServer: 'pool ntp org' });
    expect(world.base.flash.settings.timeZone).toBe('UTC');
    expect(world.base.flash.settings.ntpServer).toBe('pool.ntp.org');
  });
});

describe('DECT → DECT Summary and Specific Handsets', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('DECT Summary says no handsets are registered on a new base', async () => {
    world = await openConfiguredWebAdmin();
    const page = visibleText((await get(world.app, 'dect-summary', ADMIN_LOGIN)).body);
    expect(page).toContain('DECT → DECT Summary');
    expect(page).toContain('Slot IPEI Model Firmware Firmware update State Base No handsets registered');
  });

  it('Register on a free slot opens the base for registration for 5 minutes', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(world.app, 'wan-settings', 'wan-settings', { timeZone: 'Europe/Berlin' }, ADMIN_LOGIN);
    const slots = await get(world.app, 'specific-handsets', ADMIN_LOGIN);
    expect(visibleText(slots.body)).toContain('Registration is closed.');
    expect(slots.body).toContain('<button type="submit" name="slot" value="1" class="small">Register</button>');
    expect(slots.body).toContain('<button type="submit" name="slot" value="30" class="small">Register</button>');

    const register = await post(world.app, 'register-handset', { slot: '3' }, ADMIN_LOGIN);
    expect(register.statusCode).toBe(303);
    expect(register.headers.location).toBe('./specific-handsets?registering=3');
    const open = visibleText((await get(world.app, 'specific-handsets?registering=3', ADMIN_LOGIN)).body);
    expect(open).toContain('Registration opened for slot 3');
    expect(open).toContain('Registration window open for slot 3 until 2026-11-02 10:06:30 CET');
    expect(world.base.status().registration).toEqual({ slot: 3, until: Date.UTC(2026, 10, 2, 9, 6, 30) });

    await world.lab.clock.advance(5 * MINUTE);
    expect(visibleText((await get(world.app, 'specific-handsets', ADMIN_LOGIN)).body)).toContain('Registration is closed.');
  });

  it('refuses a slot the base does not have', async () => {
    world = await openConfiguredWebAdmin();
    const refused = await post(world.app, 'register-handset', { slot: '31' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(visibleText(refused.body)).toContain('Slot must be a number from 1 to 30.');
    expect(world.base.status().registration).toBeNull();
  });

  it('the Access Code handsets enter is 0000 by default and can be changed to another 4-digit code only', async () => {
    world = await openConfiguredWebAdmin();
    const page = await get(world.app, 'specific-handsets', ADMIN_LOGIN);
    expect(labels(page.body).get('accessCode')).toBe('Access Code');
    expect(formValues(page.body, 'specific-handsets')).toEqual({ accessCode: '0000' });

    const refused = await post(world.app, 'specific-handsets', { accessCode: '12a4' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(fieldError(refused.body, 'accessCode')).toBe('Access Code must be 4 digits (e.g. 0000)');
    expect(world.base.flash.settings.accessCode).toBe('0000');

    expect((await post(world.app, 'specific-handsets', { accessCode: '4711' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect(world.base.flash.settings.accessCode).toBe('4711');
  });
});
