import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildTeamsAdminCenter } from '../../../src/cloud/teams/admin-center/build-admin-center.ts';
import { HOUR, openTestLab } from '../../support/lab.ts';

const HW = '000087654321';

/** A multipart body with one file field, as a browser sends it. */
function multipart(fileName: string, content: string | Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----rove-sim-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('Teams admin center (emulated)', () => {
  let lab: Lab;
  let tac: FastifyInstance;
  beforeEach(async () => {
    lab = await openTestLab();
    tac = await buildTeamsAdminCenter({ gateway: lab.teams });
  });
  afterEach(async () => {
    await tac.close();
    await lab.close();
  });

  const form = (url: string, body: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    return tac.inject({ method: 'POST', url, payload: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  };

  it('shows the Microsoft navigation: Users, Teams devices → Phones / SIP devices, Voice → Calling policies', async () => {
    const res = await tac.inject('/devices/phones');
    expect(res.statusCode).toBe(200);
    for (const text of ['Microsoft Teams admin center', 'Teams devices', 'Phones', 'SIP devices', 'Calling policies', 'Provision devices']) {
      expect(res.body).toContain(text);
    }
  });

  it('hides the SIP devices tab while no calling policy allows SIP devices', async () => {
    lab.teams.setCallingPolicy('SIPDevices', { allowSipDevicesCalling: false });
    expect((await tac.inject('/devices/phones')).body).not.toContain('href="/devices/sip"');
  });

  it('Add MAC addresses: accepts "00" + IPEI, refuses the base MAC with the hint, and applies nothing when a row is wrong', async () => {
    const refused = await form('/devices/provision/add', { mac: [HW, '00-04-F2-A0-00-01'], location: ['Warehouse', 'Base'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Add MAC addresses');
    expect(refused.body).toContain('MAC address of a Rove base station in this lab');
    expect(refused.body).toContain('&quot;00&quot; followed by the handset&#39;s IPEI');
    expect(lab.teams.devices()).toHaveLength(0);
    const added = await form('/devices/provision/add', { mac: ['00-00-87-65-43-21', ''], location: ['Warehouse', ''] });
    expect(added.statusCode).toBe(303);
    const page = await tac.inject(added.headers.location as string);
    expect(page.body).toContain('1 MAC address was added');
    expect(page.body).toContain('00-00-87-65-43-21');
    expect(lab.teams.device(HW)).toMatchObject({ location: 'Warehouse', addedFrom: 'admin-center' });
  });

  it('offers Template_Provisioning.csv with the columns MAC id and Location', async () => {
    const res = await tac.inject('/devices/provision/template');
    expect(res.headers['content-disposition']).toContain('Template_Provisioning.csv');
    expect(res.body.split('\r\n')[0]).toBe('MAC id,Location');
  });

  it('Upload MAC addresses: BOM, quotes and blank lines are fine; refusals are explained per row and nothing is half-applied', async () => {
    const bad = multipart('devices.csv', '\uFEFFMAC id,Location\r\n000011112222,"Lobby, ground floor"\r\n\r\n0004F2A00001,Base\r\n12345,Nowhere\r\n000011112222,Again\r\n');
    const refused = await tac.inject({ method: 'POST', url: '/devices/provision/upload', ...bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('No devices were added');
    expect(refused.body).toMatch(/<td>4<\/td><td class="mono">0004F2A00001<\/td><td>[^<]*MAC address of a Rove base station/);
    expect(refused.body).toMatch(/<td>5<\/td><td class="mono">12345<\/td><td>[^<]*not a valid MAC address/);
    expect(refused.body).toMatch(/<td>6<\/td>[^\n]*also on row 2/);
    expect(lab.teams.devices()).toHaveLength(0);

    const good = multipart('devices.csv', '\uFEFF"MAC id","Location"\r\n000011112222,"Lobby, ground floor"\r\n\r\n00-00-33-33-44-44,Dock\r\n');
    const ok = await tac.inject({ method: 'POST', url: '/devices/provision/upload', ...good });
    expect(ok.statusCode).toBe(303);
    expect(lab.teams.devices().map((d) => [d.hardwareId, d.location, d.addedFrom])).toEqual([
      ['000011112222', 'Lobby, ground floor', 'upload'],
      ['000033334444', 'Dock', 'upload'],
    ]);
  });

  it('Upload MAC addresses: refuses a wrong header, an empty file and a file over the size limit', async () => {
    const header = await tac.inject({ method: 'POST', url: '/devices/provision/upload', ...multipart('x.csv', 'MAC,Where\r\n000011112222,x\r\n') });
    expect(header.body).toContain('must name the columns &quot;MAC id&quot; and &quot;Location&quot;');
    const empty = await tac.inject({ method: 'POST', url: '/devices/provision/upload', ...multipart('x.csv', '') });
    expect(empty.body).toContain('The file is empty');
    const huge = await tac.inject({ method: 'POST', url: '/devices/provision/upload', ...multipart('x.csv', `MAC id,Location\r\n${'000011112222,x\r\n'.repeat(20_000)}`) });
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('larger than');
    expect(lab.teams.devices()).toHaveLength(0);
  });

  it('Generate verification code shows the code and the 24-hour validity message', async () => {
    lab.teams.addDevices([{ macAddress: HW, location: 'Warehouse' }], 'api');
    const none = await form('/devices/provision/generate-code', {});
    expect(none.statusCode).toBe(400);
    const res = await form('/devices/provision/generate-code', { device: HW });
    expect(res.statusCode).toBe(303);
    const page = await tac.inject(res.headers.location as string);
    expect(page.body).toContain('The verification code is valid for 24 hours.');
    const code = lab.teams.device(HW)!.verificationCode!.code;
    expect(page.body).toContain(`data-code="${HW}">${code}</span>`);
    await lab.clock.advance(24 * HOUR);
    expect((await tac.inject('/devices/provision')).body).toContain('Expired');
  });

  it('Waiting for sign in → Sign in a user shows the authentication URL and a pairing code', async () => {
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    lab.teams.enroll(HW, lab.teams.generateVerificationCode(HW).code, 'EMEA');
    const tab = await tac.inject('/devices/provision?tab=signin');
    expect(tab.body).toContain('00-00-87-65-43-21');
    expect(tab.body).toContain('Signed out');
    const res = await form('/devices/provision/sign-in', { device: HW });
    const pane = await tac.inject(res.headers.location as string);
    const code = lab.teams.device(HW)!.pairing!.code;
    expect(pane.body).toContain('Sign in a user');
    expect(pane.body).toContain('https://microsoft.com/devicelogin');
    expect(pane.body).toContain(`data-pairing-code>${code}</p>`);
    expect(pane.body).toContain('Remote sign in doesn’t support personal user credentials.');
  });

  it('lists a device under SIP devices after a first sign-in, with Actions → Sign out and Restart', async () => {
    lab.teams.addDevices([{ macAddress: HW, location: 'Warehouse' }], 'api');
    lab.teams.enroll(HW, lab.teams.generateVerificationCode(HW).code, 'EMEA');
    expect((await tac.inject('/devices/sip')).body).toContain('No SIP devices yet');
    lab.teams.signIn(lab.teams.requestPairingCode(HW, 'device').code, 'adele.vance@contoso.com');
    const list = await tac.inject('/devices/sip');
    expect(list.body).toContain('Adele Vance');
    expect(list.body).toContain('+14255550101');
    const details = await tac.inject(`/devices/sip/${HW}`);
    expect(details.body).toContain('>Sign out</button>');
    expect(details.body).toContain('>Restart</button>');
    const changes: string[] = [];
    lab.teams.onDeviceChange((c) => changes.push(c.kind));
    await form(`/devices/sip/${HW}/action`, { action: 'restart' });
    const out = await form(`/devices/sip/${HW}/action`, { action: 'sign-out' });
    expect((await tac.inject(out.headers.location as string)).body).toContain('The user was signed out');
    expect(changes).toEqual(['restart', 'signed-out']);
    expect(lab.teams.device(HW)?.state).toBe('signedOut');
  });

  it('Calling policies: the toggle "SIP devices can be used for calls" turns AllowSIPDevicesCalling on and off', async () => {
    const list = await tac.inject('/voice/calling-policies');
    expect(list.body).toContain('SIP devices can be used for calls');
    expect(list.body).toContain('Global (Org-wide default)');
    const edit = await tac.inject('/voice/calling-policies/Global');
    expect(edit.body).toMatch(/role="switch" id="sip" name="allowSipDevicesCalling" value="on">/);
    await form('/voice/calling-policies/Global', { description: 'Org-wide default', allowSipDevicesCalling: 'on', allowCallRedirect: 'Enabled' });
    expect(lab.teams.tenant.callingPolicies.find((p) => p.identity === 'Global')?.allowSipDevicesCalling).toBe(true);
    expect((await tac.inject('/users/joni.sherman@contoso.com')).body).toContain('This user can be signed in on a SIP device.');
  });

  it('Calling policies: a call redirection value the page never offers is refused and nothing is saved', async () => {
    const before = structuredClone(lab.teams.tenant.callingPolicies.find((p) => p.identity === 'Global'));
    const bad = await form('/voice/calling-policies/Global', { description: 'changed', allowSipDevicesCalling: 'on', allowCallRedirect: 'Sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('CALL_REDIRECT_INVALID');
    expect(bad.body).toContain('must be Enabled, Disabled or UserOverride, not &quot;Sometimes&quot;');
    expect(lab.teams.tenant.callingPolicies.find((p) => p.identity === 'Global')).toEqual(before);
  });

  it('Users: says why a user cannot sign in on a SIP device, and fixing the user clears it', async () => {
    const users = await tac.inject('/users');
    expect(users.body).toContain('User missing phone number assignment.');
    await form('/users/johanna.lorenz@contoso.com', {
      displayName: 'Johanna Lorenz',
      phoneNumber: '+14255550110',
      licence: 'Office 365 E5',
      callingPolicy: 'SIPDevices',
      ipPhonePolicy: 'Global',
      minimumAgeDays: '0',
    });
    expect(lab.teams.user('johanna.lorenz@contoso.com')?.phoneNumber).toBe('+14255550110');
    const bad = await form('/users/johanna.lorenz@contoso.com', { displayName: 'Johanna Lorenz', phoneNumber: '12', licence: 'None', callingPolicy: 'SIPDevices', ipPhonePolicy: 'Global' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('PHONE_NUMBER_INVALID');
  });

  it('refuses a form posted from another site', async () => {
    const res = await tac.inject({ method: 'POST', url: '/voice/calling-policies/Global', payload: 'allowSipDevicesCalling=on', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', host: 'localhost:80' } });
    expect(res.statusCode).toBe(403);
  });
});
