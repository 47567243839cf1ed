import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { HOUR, openTestLab } from '../../support/lab.ts';

const HW = '000087654321';

describe('Control API: /api/teams', () => {
  let lab: Lab;
  let app: FastifyInstance;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  const post = (url: string, payload: object = {}) => app.inject({ method: 'POST', url, payload });

  it('drives the guide end to end: add 00+IPEI, generate a code, *55*, pairing code, sign-in, provisioning file, sign-out', async () => {
    const tenant = (await app.inject('/api/teams/tenant')).json();
    expect(tenant).toMatchObject({ organizationName: 'Contoso', sites: [{ id: 'hq' }, { id: 'warehouse' }] });
    const added = await post('/api/teams/devices', { devices: [{ macAddress: HW, location: 'Warehouse' }] });
    expect(added.statusCode).toBe(201);
    expect(added.json().added[0]).toMatchObject({ hardwareId: HW, list: 'Waiting on activation', ipei: '0087654321' });
    const code = (await post(`/api/teams/devices/${HW}/verification-code`)).json();
    expect(code.code).toMatch(/^\d{6}$/);
    const wrongRegion = await post(`/api/teams/devices/${HW}/enroll`, { code: code.code, region: 'moon' });
    expect(wrongRegion.statusCode).toBe(400);
    const enrolled = await post(`/api/teams/devices/${HW}/enroll`, { code: code.code, region: 'EMEA' });
    expect(enrolled.json()).toMatchObject({ ok: true, device: { list: 'Waiting for sign in', userStatus: 'Signed out' } });
    const again = await post(`/api/teams/devices/${HW}/enroll`, { code: code.code, region: 'EMEA' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, code: 'CODE_USED' });
    const pairing = (await post(`/api/teams/devices/${HW}/pairing-code`, { from: 'device', region: 'EMEA' })).json();
    expect(pairing).toMatchObject({ url: 'https://microsoft.com/devicelogin' });
    const refused = await post('/api/teams/sign-in', { pairingCode: pairing.code, upn: 'johanna.lorenz@contoso.com' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().problems[0].message).toBe('User missing phone number assignment.');
    const signed = await post('/api/teams/sign-in', { pairingCode: pairing.code, upn: 'megan.bowen@contoso.com' });
    expect(signed.json()).toMatchObject({ ok: true, device: { state: 'signedIn' } });
    const file = await app.inject(`/api/teams/devices/${HW}/provisioning-file?region=EMEA&lang=ja`);
    expect(file.body).toContain('%SIP_LINE_LABEL%: "+14255550107"');
    expect(file.body).toContain('%LANGUAGE%: "ja"');
    const out = await post(`/api/teams/devices/${HW}/sign-out`, { from: 'admin-center' });
    expect(out.json()).toMatchObject({ state: 'signedOut', userStatus: 'Signed out' });
  });

  it('refuses a base MAC with the hint and adds nothing', async () => {
    const res = await post('/api/teams/devices', { devices: [{ macAddress: HW }, { macAddress: '0004F2A00001' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DEVICES_REFUSED', problems: [{ row: 2 }] });
    expect(res.json().message).toContain('"00" followed by the handset');
    expect((await app.inject('/api/teams/devices')).json().items).toEqual([]);
  });

  it('changes users, policies, bulk sign-in, trusted IPs and sites, with coded errors', async () => {
    const user = await app.inject({ method: 'PATCH', url: '/api/teams/users/johanna.lorenz@contoso.com', payload: { phoneNumber: '+14255550110' } });
    expect(user.json()).toMatchObject({ phoneNumber: '+14255550110' });
    const bad = await app.inject({ method: 'PATCH', url: '/api/teams/users/johanna.lorenz@contoso.com', payload: { callingPolicy: 'Nope' } });
    expect(bad.json()).toMatchObject({ code: 'POLICY_NOT_FOUND' });
    const policy = await app.inject({ method: 'PUT', url: '/api/teams/calling-policies/Global', payload: { allowSipDevicesCalling: true } });
    expect(policy.json()).toMatchObject({ identity: 'Global', allowSipDevicesCalling: true });
    const cap = await app.inject({ method: 'PUT', url: '/api/teams/ip-phone-policies/Lobby', payload: { signInMode: 'CommonAreaPhoneSignIn' } });
    expect(cap.json()).toMatchObject({ identity: 'Lobby', signInMode: 'CommonAreaPhoneSignIn' });
    const bulk = await app.inject({ method: 'PUT', url: '/api/teams/sip-devices-configuration', payload: { bulkSignIn: 'Enabled' } });
    expect(bulk.json().sipDevicesConfiguration).toEqual({ identity: 'Global', bulkSignIn: 'Enabled' });
    const ips = await app.inject({ method: 'PUT', url: '/api/teams/trusted-ips', payload: { trustedIps: ['203.0.113.0/24', 'x'] } });
    expect(ips.json()).toMatchObject({ code: 'TRUSTED_IP_INVALID' });
    const site = await app.inject({ method: 'PUT', url: '/api/teams/sites/branch', payload: { name: 'Branch', publicIp: '192.0.2.7' } });
    expect(site.json()).toEqual({ id: 'branch', name: 'Branch', publicIp: '192.0.2.7' });
    const added = await post('/api/teams/users', { upn: 'new.phone@contoso.com', displayName: 'New Phone', phoneNumber: '+14255550150', licence: 'Microsoft Teams Shared Devices', callingPolicy: 'SIPDevices' });
    expect(added.statusCode).toBe(201);
    expect((await app.inject('/api/teams/users')).json().items).toHaveLength(21);
    expect((await app.inject('/api/teams/devices/000000000001')).json()).toMatchObject({ code: 'DEVICE_NOT_FOUND' });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/teams/devices', '/api/teams/devices/{hardwareId}/enroll', '/api/teams/sign-in']));
  });

  it('keeps codes on the lab clock: an expired verification code is refused through the API', async () => {
    await post('/api/teams/devices', { devices: [{ macAddress: HW }] });
    const code = (await post(`/api/teams/devices/${HW}/verification-code`)).json();
    await post('/api/clock', { advanceMs: 24 * HOUR });
    const res = await post(`/api/teams/devices/${HW}/enroll`, { code: code.code, region: 'NOAM' });
    expect(res.json()).toMatchObject({ ok: false, code: 'CODE_EXPIRED' });
  });
});
