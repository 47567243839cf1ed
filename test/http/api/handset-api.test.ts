import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

describe('Handset control API', () => {
  let lab: Lab;
  let app: FastifyInstance;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
    await lab.clock.advance(2 * MINUTE);
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  it('lists the default lab: two Rove 30 and two Rove 40, on and not registered, with console and page URLs', async () => {
    const res = await app.inject({ url: '/api/handsets', headers: { host: 'lab.local:8080' } });
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items.map((h) => [h['model'], h['state'], h['baseMac'], h['firmware']])).toEqual([
      ['Rove 30', 'unregistered', null, '8.0.0.0402'],
      ['Rove 30', 'unregistered', null, '8.0.0.0402'],
      ['Rove 40', 'unregistered', null, '8.0.0.0402'],
      ['Rove 40', 'unregistered', null, '8.0.0.0402'],
    ]);
    const first = items[0]!;
    expect(first['consoleUrl']).toBe(`ws://lab.local:8080/consoles/${first['ipei']}`);
    expect(first['pageUrl']).toBe(`http://lab.local:8080/handsets/${first['ipei']}/`);
    expect((first['display'] as string[]).join('\n')).toContain('Unregistered');
  });

  it('presses keys through the same path as a console, refusing unknown keys without pressing any', async () => {
    const ipei = [...lab.handsets.keys()][0]!;
    const menu = await app.inject({ method: 'POST', url: `/api/handsets/${ipei}/keys`, payload: { keys: '{menu}' } });
    expect(menu.json().screen).toBe('menu');
    const bad = await app.inject({ method: 'POST', url: `/api/handsets/${ipei}/keys`, payload: { keys: '{down}{teleport}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'KEYS_INVALID' });
    expect(lab.getHandset(ipei)!.view().display[1]).toContain('> Contacts');
    const missing = await app.inject({ method: 'POST', url: '/api/handsets/0000000000/keys', payload: { keys: '1' } });
    expect(missing.statusCode).toBe(404);
  });

  it('adds a handset, refusing a malformed or duplicate IPEI', async () => {
    const added = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 40', ipei: '0328D3C918', firmware: '8.0.3.0009' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ ipei: '0328D3C918', model: 'Rove 40', firmwareMeetsTeamsMinimum: true });
    const dup = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 40', ipei: '0328d3c918' } });
    expect(dup.statusCode).toBe(409);
    const bad = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 40', ipei: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/IPEI/);
    const badModel = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 99' } });
    expect(badModel.statusCode).toBe(400);
  });

  it('takes a handset out of range and powers it off', async () => {
    const ipei = [...lab.handsets.keys()][1]!;
    const placed = await app.inject({ method: 'POST', url: `/api/handsets/${ipei}/placement`, payload: { outOfRange: true } });
    expect(placed.json().outOfRange).toBe(true);
    const off = await app.inject({ method: 'POST', url: `/api/handsets/${ipei}/power`, payload: { on: false } });
    expect(['off', 'stopping']).toContain(off.json().state);
  });

  it('serves a page per handset and a list of all handsets', async () => {
    const ipei = [...lab.handsets.keys()][0]!;
    const page = await app.inject(`/handsets/${ipei}/`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-ipei="${ipei}"`);
    expect(page.body).toContain('/static/handset/handset.js');
    const list = await app.inject('/handsets/');
    expect(list.body).toContain(`href="${ipei}/"`);
    expect(list.body).toContain('below 8.0.3');
    expect((await app.inject('/handsets/ABCDEF0123/')).statusCode).toBe(404);
    expect((await app.inject('/static/handset/handset.js')).statusCode).toBe(200);
  });
});
