/** Faults and checkpoints through the control API, as a script or the web UI would drive them. */
import { describe, expect } from 'vitest';
import { it } from '../support/app.ts';
import { MINUTE } from '../support/lab.ts';

describe('Fault and checkpoint API', () => {
  it('injects a power cut, lists it, and undoes it', async ({ app, lab }) => {
    const mac = [...lab.bases.keys()][0]!;
    const catalogue = (await app.inject('/api/faults')).json();
    expect(catalogue.catalogue.find((f: { type: string }) => f.type === 'sip-server')).toMatchObject({ available: true, takes: ['mode', 'status', 'server', 'region'] });
    const created = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'base-power-loss', id: 'cut', bases: [mac] } });
    expect(created.statusCode).toBe(201);
    expect(lab.getBase(mac)!.state).toBe('off');
    expect((await app.inject('/api/faults')).json().active.map((f: { id: string }) => f.id)).toEqual(['cut']);
    expect((await app.inject({ method: 'DELETE', url: '/api/faults/cut' })).statusCode).toBe(200);
    expect(lab.getBase(mac)!.state).toBe('booting');
    expect((await app.inject({ method: 'DELETE', url: '/api/faults/cut' })).json()).toMatchObject({ statusCode: 404, code: 'FAULT_NOT_FOUND' });
    const sip = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'sip-server', id: 'registrar', region: 'EMEA', mode: 'timeout' } });
    expect(sip.statusCode).toBe(201);
    expect(lab.telephony.teamsSip.get('EMEA')!.activeFault).toEqual({ mode: 'timeout' });
    expect((await app.inject({ method: 'DELETE', url: '/api/faults/registrar' })).statusCode).toBe(200);
    expect(lab.telephony.teamsSip.get('EMEA')!.activeFault).toBeNull();
  });

  it('refuses a fault on a site the lab does not have, naming the site meant', async ({ app }) => {
    const refused = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'site-network-loss', site: 'defualt' } });
    expect(refused.json()).toMatchObject({ statusCode: 400, code: 'FAULT_TARGET_MISSING', message: 'no site "defualt" in the lab (did you mean "default"?)' });
    expect((await app.inject('/api/faults')).json().active).toEqual([]);
  });

  it('refuses an unknown fault type with the types the lab knows and the one meant', async ({ app }) => {
    const refused = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'base-power-los' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message:
        'invalid body: type "base-power-los" must be one of: base-power-loss, handset-power-loss, site-network-loss, provisioning-server, firmware-missing, wrong-config-url, expired-codes, untrusted-public-ip, handset-out-of-range, sip-server (did you mean "base-power-loss"?)',
    });
    const phase = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'base-power-loss', during: 'instal' } });
    expect(phase.json().message).toBe('invalid body: during "instal" must be one of: download, install (did you mean "install"?)');
  });

  it('arms a power cut for the firmware install: the base keeps its power until it installs', async ({ app, lab }) => {
    const mac = [...lab.bases.keys()][0]!;
    const armed = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'base-power-loss', id: 'install-cut', bases: [mac], during: 'install' } });
    expect(armed.json()).toMatchObject({ id: 'install-cut', summary: 'power cut on 1 base(s) when they install firmware', until: null });
    expect(lab.getBase(mac)!.state).not.toBe('off');
    const ipei = [...lab.handsets.keys()][0]!;
    const refused = await app.inject({ method: 'POST', url: '/api/faults', payload: { type: 'handset-power-loss', handsets: [ipei], during: 'install' } });
    expect(refused.json()).toMatchObject({ statusCode: 400, code: 'FAULT_PHASE_INVALID', message: 'during applies to base-power-loss only, and is one of: download, install' });
  });

  it('saves, lists, restores and deletes a checkpoint; factory-resets a handset', async ({ app, lab }) => {
    const mac = [...lab.bases.keys()][0]!;
    expect((await app.inject({ method: 'POST', url: '/api/checkpoints', payload: { name: 'fresh' } })).statusCode).toBe(201);
    lab.getBase(mac)!.setPower(false);
    await lab.settle();
    expect((await app.inject('/api/checkpoints')).json().map((c: { name: string }) => c.name)).toEqual(['fresh']);
    expect((await app.inject({ method: 'POST', url: '/api/checkpoints/fresh/restore' })).statusCode).toBe(200);
    await lab.clock.advanceUntil(() => lab.getBase(mac)!.state === 'running', 5 * MINUTE);
    expect(lab.getBase(mac)!.state).toBe('running');
    expect((await app.inject({ method: 'DELETE', url: '/api/checkpoints/fresh' })).statusCode).toBe(204);
    const ipei = [...lab.handsets.keys()][0]!;
    expect((await app.inject({ method: 'POST', url: `/api/devices/${ipei}/factory-reset` })).json()).toEqual({ kind: 'handset', id: ipei });
  });
});
