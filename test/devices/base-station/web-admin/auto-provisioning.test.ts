import { afterEach, describe, expect, it } from 'vitest';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE } from '../../../support/lab.ts';
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

/** The guide's values as a technician types them into System Management → Auto provisioning (seed 000). */
const GUIDE_FORM = {
  ...GUIDE_FIRMWARE_SETTINGS,
  itspMethod: 'Periodically',
  itspInterval: '3600',
  provisioningOption: 'ConfigURL',
  configUrl: 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg',
};

describe('System Management → Auto provisioning', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('shows the three sections of the guide, each input labelled with the exact parameter name', async () => {
    world = await openConfiguredWebAdmin();
    const page = await get(world.app, 'auto-provisioning', ADMIN_LOGIN);
    expect(page.statusCode).toBe(200);
    const text = visibleText(page.body);
    expect(text).toContain('System Management → Auto provisioning');
    const sections = ['Auto Firmware Update', 'Firmware Versions and Handset Images', 'ITSP Provisioning'];
    expect(sections.map((s) => text.indexOf(s))).toEqual([...sections.map((s) => text.indexOf(s))].sort((a, b) => a - b));
    for (const s of sections) expect(text).toContain(s);

    expect(Object.fromEntries(labels(page.body))).toEqual({
      firmwareServer: 'FirmwareServer',
      firmwarePath: 'FirmwarePath',
      firmwareMethod: 'Method',
      firmwareInterval: 'Interval',
      baseFwVersion: 'BaseFWVersion',
      baseFwBranch: 'BaseFwBranch',
      rove30FwVersion: 'Rove30FwVersion',
      rove30FwBranch: 'Rove30FwBranch',
      rove40FwVersion: 'Rove40FwVersion',
      rove40FwBranch: 'Rove40FwBranch',
      itspMethod: 'Method',
      itspInterval: 'Interval',
      provisioningOption: 'ProvisioningOption',
      configUrl: 'ConfigURL',
    });
    // Units beside the two Interval inputs: minutes for firmware, seconds for ITSP provisioning.
    expect(page.body).toMatch(/name="firmwareInterval"[^>]*><span class="unit">minutes<\/span>/);
    expect(page.body).toMatch(/name="itspInterval"[^>]*><span class="unit">seconds<\/span>/);
    expect(page.body).toMatch(/<select id="firmwareMethod" name="firmwareMethod"[^>]*><option value="Disabled" selected>Disabled<\/option><option value="Periodically">Periodically<\/option><option value="Daily">Daily<\/option><\/select>/);
    expect(page.body).toMatch(/<select id="provisioningOption"[^>]*><option value="Disabled" selected>Disabled<\/option><option value="ConfigURL">ConfigURL<\/option>/);
  });

  it("accepts the guide's values exactly, says Settings saved and shows them again", async () => {
    world = await openConfiguredWebAdmin();
    const saved = await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', GUIDE_FORM, ADMIN_LOGIN);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('./auto-provisioning?saved=1');

    const page = await get(world.app, 'auto-provisioning?saved=1', ADMIN_LOGIN);
    expect(visibleText(page.body)).toContain('Settings saved');
    expect(visibleText(page.body)).toContain('The new ITSP provisioning settings take effect over 3 reboots of the base');
    expect(formValues(page.body, 'auto-provisioning')).toEqual(GUIDE_FORM);
    expect(world.base.flash.settings).toMatchObject(GUIDE_FORM);
  });

  it('refuses invalid values with a message beside each field and keeps what was saved before', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', GUIDE_FORM, ADMIN_LOGIN);
    const before = { ...world.base.flash.settings };

    const refused = await submitForm(
      world.app,
      'auto-provisioning',
      'auto-provisioning',
      { firmwareServer: 'downloads.polycom.com', firmwareInterval: 'thirty', baseFwBranch: '9', itspInterval: '10', configUrl: 'http://emea.ipp.sdg.teams.microsoft.com/00${IPIE}.cfg' },
      ADMIN_LOGIN,
    );
    expect(refused.statusCode).toBe(400);
    const text = visibleText(refused.body);
    expect(text).toContain('Settings not saved: nothing was changed. 5 problems');
    expect(text).toContain('Auto Firmware Update › FirmwareServer is not a valid URL');
    expect(text).toContain('ITSP Provisioning › Interval must be a whole number of seconds from 60 to 2592000');
    expect(fieldError(refused.body, 'firmwareServer')).toContain('FirmwareServer is not a valid URL');
    expect(fieldError(refused.body, 'firmwareInterval')).toBe('Interval must be a whole number of minutes from 1 to 44640');
    expect(fieldError(refused.body, 'baseFwBranch')).toBe('BaseFwBranch must be 4 digits (e.g. 0009), or empty');
    expect(fieldError(refused.body, 'itspInterval')).toBe('Interval must be a whole number of seconds from 60 to 2592000');
    expect(fieldError(refused.body, 'configUrl')).toBe('ConfigURL unknown placeholder ${IPIE} (use ${IPEI} or ${MAC})');
    expect(fieldError(refused.body, 'firmwarePath')).toBeUndefined();

    // What the technician typed is still in the inputs, so it can be corrected.
    const shown = formValues(refused.body, 'auto-provisioning');
    expect(shown.firmwareServer).toBe('downloads.polycom.com');
    expect(shown.firmwareInterval).toBe('thirty');
    expect(shown.configUrl).toBe('http://emea.ipp.sdg.teams.microsoft.com/00${IPIE}.cfg');

    expect(world.base.flash.settings).toEqual(before);
    const reloaded = formValues((await get(world.app, 'auto-provisioning', ADMIN_LOGIN)).body, 'auto-provisioning');
    expect(reloaded).toEqual(GUIDE_FORM);
  });

  it('refuses a form with a field it does not have, or without one of its fields', async () => {
    world = await openConfiguredWebAdmin();
    const extra = await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', { ...GUIDE_FORM, adminPassword: 'x' }, ADMIN_LOGIN);
    expect(extra.statusCode).toBe(400);
    expect(visibleText(extra.body)).toContain('Unknown field "adminPassword" refused');

    const { configUrl: _dropped, ...partial } = GUIDE_FORM;
    const missing = await post(world.app, 'auto-provisioning', partial, ADMIN_LOGIN);
    expect(missing.statusCode).toBe(400);
    expect(visibleText(missing.body)).toContain('Field "configUrl" is missing from the form.');
    expect(world.base.flash.settings.firmwareServer).toBe('');
  });

  it('escapes what it shows: a value with markup is displayed, not interpreted', async () => {
    world = await openConfiguredWebAdmin();
    const refused = await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', { firmwarePath: '/"><script>alert(1)</script>' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('<script>alert(1)');
    expect(formValues(refused.body, 'auto-provisioning').firmwarePath).toBe('/"><script>alert(1)</script>');
  });

  it('"Check now" starts a firmware check at once and the page shows its outcome', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', { ...GUIDE_FIRMWARE_SETTINGS, firmwareMethod: 'Disabled', firmwarePath: '/voice/dect-ip-phones/rove/' }, ADMIN_LOGIN);
    const check = await post(world.app, 'check-firmware', {}, ADMIN_LOGIN);
    expect(check.statusCode).toBe(303);
    expect(check.headers.location).toBe('./auto-provisioning?checking=1');
    await world.lab.clock.advanceUntil(() => world.base.status().firmwareUpdate.phase === 'error', MINUTE);

    const page = visibleText((await get(world.app, 'auto-provisioning?checking=1', ADMIN_LOGIN)).body);
    expect(page).toContain('Firmware check started');
    expect(page).toContain('Auto firmware update: Error');
    expect(page).toContain('(FWU-03)');
  });
});
