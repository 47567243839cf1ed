import { afterEach, describe, expect, it } from 'vitest';
import { joinSystem } from '../multi-cell-steps.ts';
import { registerHandset, waitForBootedLab } from '../../handset/steps.ts';
import { MINUTE } from '../../../support/lab.ts';
import {
  ADMIN_LOGIN,
  basicAuth,
  fieldError,
  get,
  labels,
  openConfiguredWebAdmin,
  pageUrl,
  submitForm,
  visibleText,
  type WebAdminWorld,
} from './web-admin-client.ts';

describe('DECT → Multi-cell and DECT → DECT chain', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('the Multi-cell page labels each field with its parameter name; Save and reboot applies it once the base is up', async () => {
    world = await openConfiguredWebAdmin();
    const page = await get(world.app, 'multi-cell', ADMIN_LOGIN);
    expect(page.statusCode).toBe(200);
    expect([...labels(page.body).values()]).toEqual([
      'Multi cell system',
      'System chain ID',
      'Base role',
      'Data sync',
      'System combination',
      'DECT sync source',
    ]);
    expect(visibleText(page.body)).toContain('Multi-cell Disabled (single cell)');
    expect(page.body).toContain('<a href="multi-cell" class="current" aria-current="page">Multi-cell</a>');

    const saved = await submitForm(world.app, 'multi-cell', 'multi-cell', { multiCellSystem: 'Enabled', systemChainId: '2275' }, ADMIN_LOGIN);
    expect(saved.statusCode).toBe(200);
    expect(visibleText(saved.body)).toContain('Settings saved. The base is rebooting to apply them');
    expect(visibleText(saved.body)).toContain('Saved settings not applied yet: Enabled: chain 2275, Primary');
    expect(world.base.state).toBe('rebooting');
    expect(world.base.flash.reboots.log[0]?.reason).toBe('Multi-cell settings (web admin)');

    await world.lab.clock.advanceUntil(() => world.base.state === 'running', 10 * MINUTE);
    const after = visibleText((await get(world.app, 'multi-cell', ADMIN_LOGIN)).body);
    expect(after).toContain('Multi-cell Enabled: chain 2275, Primary, Multicast, 50 bases/3 repeaters');
    expect(after).not.toContain('not applied yet');
  });

  it('bad values come back next to their field, nothing is saved and the base does not reboot', async () => {
    world = await openConfiguredWebAdmin();
    const refused = await submitForm(world.app, 'multi-cell', 'multi-cell', { systemChainId: '<b>0</b>', dectSyncSource: 'A00002' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(fieldError(refused.body, 'systemChainId')).toBe('System chain ID must be a whole number from 1 to 65535 (e.g. 512)');
    expect(fieldError(refused.body, 'dectSyncSource')).toMatch(/^DECT sync source must be Auto or a base MAC/);
    expect(refused.body).toContain('value="&lt;b&gt;0&lt;/b&gt;"');
    expect(world.base.state).toBe('running');
    expect(world.base.flash.settings.systemChainId).toBe('512');
  });

  it('a Rove B2 says it is single-cell and refuses to save', async () => {
    world = await openConfiguredWebAdmin();
    const b2 = world.lab.addBase({ model: 'B2' });
    await world.lab.clock.advanceUntil(() => b2.state === 'running', 10 * MINUTE);
    const login = { user: 'admin', password: 'admin' };
    await world.app.inject({
      method: 'POST',
      url: pageUrl('change-password', b2.mac),
      headers: { authorization: basicAuth(login), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ newPassword: 'Lab2026rove', confirmPassword: 'Lab2026rove' }).toString(),
    });
    const auth = { authorization: basicAuth(ADMIN_LOGIN) };
    const page = await world.app.inject({ url: pageUrl('multi-cell', b2.mac), headers: auth });
    expect(visibleText(page.body)).toContain('Rove B2 is a single-cell base: multi-cell needs a Rove B4.');
    expect(page.body).not.toContain('<form method="post" action="multi-cell"');
    const refused = await world.app.inject({
      method: 'POST',
      url: pageUrl('multi-cell', b2.mac),
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'multiCellSystem=Enabled',
    });
    expect(refused.statusCode).toBe(400);
    expect(b2.flash.settings.multiCellSystem).toBe('Disabled');
  });

  it('DECT chain lists every base of the system; the primary\'s DECT Summary lists every handset with the base it is on', async () => {
    world = await openConfiguredWebAdmin();
    const { lab, base: primary } = world;
    expect(visibleText((await get(world.app, 'dect-chain', ADMIN_LOGIN)).body)).toContain('Multi-cell is not active on this base.');

    const secondary = lab.addBase({ model: 'B4' });
    lab.placeBase(secondary.mac, 'warehouse');
    await joinSystem(lab, primary, { baseRole: 'Primary' });
    await joinSystem(lab, secondary, { baseRole: 'Secondary' });
    const [walker] = lab.handsets.values();
    await waitForBootedLab(lab, primary, walker!);
    await registerHandset(lab, primary, walker!, 1);
    walker!.moveTo('warehouse');

    const chain = visibleText((await get(world.app, 'dect-chain', ADMIN_LOGIN)).body);
    expect(chain).toContain('System chain ID 512');
    expect(chain).toContain('00:04:F2:A0:00:01 Rove B4 Primary Locked 1 — default 0 0 / 8');
    expect(chain).toContain(`00:04:F2:A0:00:02 Rove B4 Secondary Locked 2 00:04:F2:A0:00:01 warehouse 1 (${walker!.ipei}) 0 / 8`);

    const summary = visibleText((await get(world.app, 'dect-summary', ADMIN_LOGIN)).body);
    expect(summary).toContain(`1 ${walker!.ipei} Rove 30 8.0.0.0402 in-service ${secondary.mac} (roamed)`);
  });
});
