import { describe, expect } from 'vitest';
import { it } from '../../support/app.ts';
import { MINUTE } from '../../support/lab.ts';

describe('Control API', () => {
  it('GET /api/health answers ok', async ({ app }) => {
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('the clock can be read, sped up, paused and advanced', async ({ app }) => {
    const before = (await app.inject('/api/clock')).json();
    expect(before).toMatchObject({ speed: 1, paused: true });
    const advanced = await app.inject({ method: 'POST', url: '/api/clock', payload: { advanceMs: 90_000 } });
    expect(advanced.json().now).toBe(before.now + 90_000);
    const fast = await app.inject({ method: 'POST', url: '/api/clock', payload: { speed: 3600 } });
    expect(fast.json()).toMatchObject({ speed: 3600, paused: true });
    const bad = await app.inject({ method: 'POST', url: '/api/clock', payload: { speed: 'fast' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().message).toContain('speed');
    const empty = await app.inject({ method: 'POST', url: '/api/clock', payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('lists the default lab base with what an IT lead needs to see', async ({ app }) => {
    const res = await app.inject('/api/bases');
    expect(res.json().items).toEqual([
      expect.objectContaining({
        mac: '0004F2A00001',
        model: 'B4',
        firmware: '8.0.0.0402',
        state: 'booting',
        reboots: 0,
        webAdminUrl: '/bases/0004F2A00001/',
      }),
    ]);
  });

  it('adds a base, refusing a duplicate MAC or an unknown model with a message', async ({ app }) => {
    const added = await app.inject({ method: 'POST', url: '/api/bases', payload: { model: 'B2', mac: '00-04-F2-12-34-56' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ mac: '0004F2123456', model: 'B2', firmware: '8.0.0.0402', state: 'booting' });
    const dup = await app.inject({ method: 'POST', url: '/api/bases', payload: { model: 'B4', mac: '0004f2123456' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'BASE_EXISTS' });
    const badModel = await app.inject({ method: 'POST', url: '/api/bases', payload: { model: 'B9' } });
    expect(badModel.statusCode).toBe(400);
    const badMac = await app.inject({ method: 'POST', url: '/api/bases', payload: { model: 'B4', mac: 'not-a-mac' } });
    expect(badMac.json()).toMatchObject({ code: 'BASE_MAC_INVALID' });
    expect((await app.inject('/api/bases')).json().items).toHaveLength(2);
  });

  it('powers a base off and on', async ({ app }) => {
    const off = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/power', payload: { on: false } });
    expect(off.json()).toMatchObject({ state: 'off' });
    const on = await app.inject({ method: 'POST', url: '/api/bases/00:04:f2:a0:00:01/power', payload: { on: true } });
    expect(on.json()).toMatchObject({ state: 'booting' });
    const missing = await app.inject({ method: 'POST', url: '/api/bases/0004F2FFFFFF/power', payload: { on: true } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('BASE_NOT_FOUND');
    const noBody = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/power', payload: {} });
    expect(noBody.statusCode).toBe(400);
  });

  it('changes settings with the same checks as the web admin, and reboots on request', async ({ app, lab }) => {
    await lab.clock.advanceUntil(() => lab.getBase('0004F2A00001')!.state === 'running', 10 * MINUTE);
    const bad = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/settings', payload: { firmwarePath: 'voice' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('FirmwarePath must start with / (e.g. /voice/dect-ip-phones/Rove/)');
    const good = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/settings', payload: { firmwarePath: '/voice/dect-ip-phones/Rove/' } });
    expect(good.json().firmwarePath).toBe('/voice/dect-ip-phones/Rove/');
    const reboot = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/reboot', payload: { forced: true } });
    expect(reboot.json()).toMatchObject({ state: 'rebooting', reboots: 1 });
    const again = await app.inject({ method: 'POST', url: '/api/bases/0004F2A00001/reboot', payload: {} });
    expect(again.statusCode).toBe(409);
  });

  it('describes itself as OpenAPI', async ({ app }) => {
    const spec = (await app.inject('/api/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/clock', '/api/bases', '/api/bases/{mac}/power']),
    );
  });
});

describe('Control API: clock speeds a person could not mean', () => {
  it('refuses an infinite, a frozen and a string-coded huge speed with a clear 400, and the clock keeps its speed', async ({ app, lab }) => {
    for (const body of ['{"speed":"1e999"}', '{"speed":"1e-320"}', '{"speed":1e-320}', '{"speed":0}']) {
      const res = await app.inject({ method: 'POST', url: '/api/clock', payload: body, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, body).toBe(400);
      expect(res.json().message, body).toContain('speed must be');
    }
    expect(lab.clock.speed).toBe(1);
  });
});
