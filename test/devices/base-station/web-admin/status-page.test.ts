import { afterEach, describe, expect, it } from 'vitest';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE } from '../../../support/lab.ts';
import { ADMIN_LOGIN, get, openConfiguredWebAdmin, submitForm, visibleText, type WebAdminWorld } from './web-admin-client.ts';

describe('Home/Status while the guide’s firmware update runs', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  const home = async () => visibleText((await get(world.app, '', ADMIN_LOGIN)).body);

  it('shows the base downloading 8.0.3.0009, then rebooting, then running 8.0.3.0009', async () => {
    world = await openConfiguredWebAdmin();
    const before = await home();
    expect(before).toContain('Model Rove B4 MAC address 00:04:F2:A0:00:01 Firmware version 8.0.0.0402');
    expect(before).toContain('Reboots 0');
    expect(before).toContain('Auto Firmware Update Status Disabled');

    await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', GUIDE_FIRMWARE_SETTINGS, ADMIN_LOGIN);
    await world.lab.clock.advanceUntil(() => world.base.status().firmwareUpdate.phase === 'downloading', 10 * MINUTE);
    const downloading = await home();
    expect(downloading).toContain('Status Downloading Message Downloading 8.0.3.0009');
    expect(downloading).toContain('Required version 8.0.3.0009');

    await world.lab.clock.advanceUntil(() => world.base.state === 'rebooting', 10 * MINUTE);
    expect((await get(world.app, '', ADMIN_LOGIN)).statusCode).toBe(503);

    await world.lab.clock.advanceUntil(() => world.base.state === 'running', 10 * MINUTE);
    const after = await home();
    expect(after).toContain('Firmware version 8.0.3.0009');
    expect(after).toContain('Reboots 1');
    expect(after).toMatch(/2026-11-02 \d\d:\d\d:\d\d UTC Firmware update 8\.0\.0\.0402 → 8\.0\.3\.0009/);
    expect(after).toMatch(/Last firmware update 8\.0\.0\.0402 → 8\.0\.3\.0009 at 2026-11-02/);
    expect(after).toContain('Uptime 00:00:00');

    await world.lab.clock.advance(2 * MINUTE);
    const later = await home();
    expect(later).toContain('Uptime 00:02:00');
    expect(later).toContain('Status Up to date Message Firmware 8.0.3.0009 is up to date');
  });

  it('shows a firmware update error with its code', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', { ...GUIDE_FIRMWARE_SETTINGS, firmwarePath: '/voice/rove/' }, ADMIN_LOGIN);
    await world.lab.clock.advanceUntil(() => world.base.status().firmwareUpdate.phase === 'error', 10 * MINUTE);
    const text = await home();
    expect(text).toContain('Status Error Message Firmware file not found on server (HTTP 404)');
    expect(text).toContain('Error code FWU-03');
    expect(text).toContain('Firmware version 8.0.0.0402');
  });

  it('shows the provisioning reboots still owed after switching ConfigURL to Teams', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(
      world.app,
      'auto-provisioning',
      'auto-provisioning',
      { itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg' },
      ADMIN_LOGIN,
    );
    const text = await home();
    expect(text).toContain('ConfigURL http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg');
    expect(text).toContain('Pending provisioning reboots 3');
  });
});
