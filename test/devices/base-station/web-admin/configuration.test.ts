import { afterEach, describe, expect, it } from 'vitest';
import { PARAMETERS } from '../../../../src/devices/base-station/parameters.ts';
import { GUIDE_FIRMWARE_SETTINGS } from '../../../support/lab.ts';
import { ADMIN_LOGIN, basicAuth, get, openConfiguredWebAdmin, pageUrl, post, submitForm, visibleText, type WebAdminWorld } from './web-admin-client.ts';

describe('System Management → Configuration (export and import)', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  it('exports the settings as a %KEY%: "value" file that imports back onto a factory base', async () => {
    world = await openConfiguredWebAdmin();
    await submitForm(world.app, 'auto-provisioning', 'auto-provisioning', GUIDE_FIRMWARE_SETTINGS, ADMIN_LOGIN);
    await submitForm(world.app, 'wan-settings', 'wan-settings', { timeZone: 'Europe/Berlin' }, ADMIN_LOGIN);
    const configured = { ...world.base.flash.settings };

    const exported = await get(world.app, 'config-export', ADMIN_LOGIN);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="RoveB4_0004F2A00001.cfg"');
    const file = exported.body;
    expect(file).toContain('# Rove B4 00:04:F2:A0:00:01 configuration, firmware 8.0.0.0402');
    expect(file).toContain('%FWU_SERVER%: "http://downloads.polycom.com/"');
    expect(file).toContain('%FWU_INTERVAL%: "30"');
    expect(file).toContain('%NETWORK_TIMEZONE%: "Europe/Berlin"');
    expect(file).not.toMatch(/password/i);

    // Back to factory defaults (keeping the login), then import the file.
    world.base.updateSettings({ firmwareServer: '', firmwarePath: '', firmwareMethod: 'Disabled', baseFwVersion: '', baseFwBranch: '', timeZone: 'UTC' });
    expect(world.base.flash.settings.firmwareServer).toBe('');

    const imported = await post(world.app, 'configuration', { text: file }, ADMIN_LOGIN);
    expect(imported.statusCode).toBe(303);
    // Every parameter of the base is in the file, but the passwords (LDAP, XSI), which stay on the base.
    const count = [...PARAMETERS.values()].filter((p) => !p.secret).length;
    expect(imported.headers.location).toBe(`./configuration?imported=${count}`);
    expect(visibleText((await get(world.app, `configuration?imported=${count}`, ADMIN_LOGIN)).body)).toContain(`Configuration imported: ${count} settings applied`);
    expect(world.base.flash.settings).toEqual(configured);
  });

  it('imports an uploaded file (multipart form, as a browser sends it)', async () => {
    world = await openConfiguredWebAdmin();
    const boundary = '----RoveSimBoundary';
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="teams.cfg"',
      'Content-Type: application/octet-stream',
      '',
      '%PROV_METHOD%: "Periodically"\n%PROV_INTERVAL%: 3600\n',
      `--${boundary}`,
      'Content-Disposition: form-data; name="text"',
      '',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await world.app.inject({
      method: 'POST',
      url: pageUrl('configuration'),
      headers: { authorization: basicAuth(ADMIN_LOGIN), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(303);
    expect(world.base.flash.settings.itspMethod).toBe('Periodically');
    expect(world.base.flash.settings.itspInterval).toBe('3600');
  });

  it('refuses a file with a bad line, an unknown key or a bad value, naming each line, and applies nothing', async () => {
    world = await openConfiguredWebAdmin();
    const before = { ...world.base.flash.settings };
    const file = [
      '# edited by hand',
      '%FWU_SERVER%: "http://downloads.polycom.com/"',
      'FWU_PATH = /voice/dect-ip-phones/Rove/',
      '%FWU_INTERVAL%: "half an hour"',
      '%FWU_COLOUR%: "blue"',
      '%FWU_SERVER%: "http://downloads.polycom.com/"',
    ].join('\n');
    const res = await post(world.app, 'configuration', { text: file }, ADMIN_LOGIN);
    expect(res.statusCode).toBe(400);
    const text = visibleText(res.body);
    expect(text).toContain('Configuration not imported: nothing was changed.');
    expect(text).toContain('Line 3: expected %KEY%: value, got "FWU_PATH = /voice/dect-ip-phones/Rove/"');
    expect(text).toContain('Line 4: %FWU_INTERVAL%: Interval must be a whole number of minutes from 1 to 44640');
    expect(text).toContain('Line 5: unknown setting %FWU_COLOUR%: this base has no such parameter');
    expect(text).toContain('Line 6: %FWU_SERVER% is set again (first on line 2)');
    // The pasted text stays in the box for correction.
    expect(res.body).toContain('%FWU_COLOUR%: &quot;blue&quot;');
    expect(world.base.flash.settings).toEqual(before);
  });

  it('refuses an empty import', async () => {
    world = await openConfiguredWebAdmin();
    const res = await post(world.app, 'configuration', { text: '  ' }, ADMIN_LOGIN);
    expect(res.statusCode).toBe(400);
    expect(visibleText(res.body)).toContain('Choose a configuration file or paste its text.');
  });
});
