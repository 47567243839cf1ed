/** A trainer injects and undoes faults from the lab's faults page (server-rendered forms, no JavaScript). */
import type { FastifyInstance } from 'fastify';
import { describe, expect } from 'vitest';
import { faultsOf } from '../../../src/live/faults/fault-board.ts';
import { FAULT_CATALOGUE } from '../../../src/live/faults/fault-types.ts';
import { labChoices, renderFaultCard } from '../../../src/http/pages/fault-form.ts';
import { it } from '../../support/app.ts';
import { MINUTE } from '../../support/lab.ts';

const MAC = '0004F2A00001';

/** Posts a form as a browser does (repeated names for a multi-select). */
function post(app: FastifyInstance, url: string, fields: Array<[string, string]>) {
  return app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('Faults page', () => {
  it('shows the catalogue with a form per fault, and is linked from the overview', async ({ app }) => {
    expect((await app.inject('/')).body).toContain('href="/lab/faults/"');
    const page = await app.inject('/lab/faults/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Power loss of a base');
    expect(page.body).toContain('No fault is active');
    expect(page.body).toContain(`<option value="${MAC}">00:04:F2:A0:00:01`);
    expect(page.body).toContain('<option value="hq">hq · Head office · 203.0.113.10</option>');
    for (const info of FAULT_CATALOGUE) expect(page.body).toContain(`id="fault-${info.type}"`);
    expect((await app.inject('/lab/faults')).headers.location).toBe('/lab/faults/');
  });

  it('a trainer cuts the power of the base from its form, sees the fault active, and undoes it: the base boots', async ({ app, lab }) => {
    const injected = await post(app, '/lab/faults/', [['type', 'base-power-loss'], ['bases', MAC], ['duration', '']]);
    expect(injected.statusCode).toBe(303);
    expect(decodeURIComponent(injected.headers.location as string)).toBe(
      '/lab/faults/?done=Injected base-power-loss-1: power cut on 1 base(s). Undo it below when you are done.',
    );
    expect(lab.getBase(MAC)!.state).toBe('off');

    const page = await app.inject(injected.headers.location as string);
    expect(page.body).toContain('Injected base-power-loss-1: power cut on 1 base(s).');
    expect(page.body).toMatch(/<table class="grid" id="active-faults">[^]*base-power-loss-1[^]*<code>00:04:F2:A0:00:01<\/code>[^]*2026-11-02 09:00:00 UTC[^]*until undone/);
    expect((await app.inject('/')).body).toContain('1 active fault</strong>: Power loss of a base');

    const undone = await post(app, '/lab/faults/undo', [['id', 'base-power-loss-1']]);
    expect(undone.statusCode).toBe(303);
    expect(decodeURIComponent(undone.headers.location as string)).toContain('Undone base-power-loss-1');
    expect(lab.getBase(MAC)!.state).toBe('booting');
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 5 * MINUTE);
    expect(lab.getBase(MAC)!.state).toBe('running');
    expect((await app.inject('/lab/faults/')).body).toContain('No fault is active');

    const again = await post(app, '/lab/faults/undo', [['id', 'base-power-loss-1']]);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('is not active (it may have cleared by itself or been undone already)');
  });

  it('bad fields re-render the form with what was wrong and what to do, and inject nothing', async ({ app, lab }) => {
    const noBase = await post(app, '/lab/faults/', [['type', 'base-power-loss']]);
    expect(noBase.statusCode).toBe(400);
    expect(noBase.body).toContain('Nothing was injected');
    expect(noBase.body).toContain('Bases: choose at least one base');

    const bad = await post(app, '/lab/faults/', [['type', 'provisioning-server'], ['mode', 'error'], ['status', '404'], ['duration', '10x'], ['site', 'moon']]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('HTTP status: &quot;404&quot; is not a status from 500 to 599. Enter e.g. 503');
    expect(bad.body).toContain('Clear by itself after: &quot;10x&quot; is not a duration (e.g. 90s, 10m, 2h)');
    expect(bad.body).toContain('Site: there is no site &quot;moon&quot; in this lab. Choose one of: default.');
    expect(bad.body).toContain('id="provisioning-server-status" name="status" value="404"');

    const handset = await post(app, '/lab/faults/', [['type', 'handset-power-loss'], ['handsets', '0000000000']]);
    expect(handset.statusCode).toBe(400);
    expect(handset.body).toContain('Handsets: there is no handset with IPEI &quot;0000000000&quot; in this lab');

    const url = await post(app, '/lab/faults/', [['type', 'wrong-config-url'], ['bases', MAC], ['configUrl', 'ftp://x']]);
    expect(url.body).toContain('ConfigURL: must start with http:// or https://');
    const ip = await post(app, '/lab/faults/', [['type', 'untrusted-public-ip'], ['site', 'hq'], ['publicIp', '300.1.1.1']]);
    expect(ip.body).toContain('Public IP: &quot;300.1.1.1&quot; is not an IPv4 address');
    const file = await post(app, '/lab/faults/', [['type', 'firmware-missing'], ['file', '../etc/passwd']]);
    expect(file.body).toContain('File: &quot;../etc/passwd&quot; is not a file name or path');
    expect((await post(app, '/lab/faults/', [['type', 'meteor-strike']])).body).toContain('There is no fault &quot;meteor-strike&quot;');

    expect(faultsOf(lab).list()).toEqual([]);
    expect(lab.getBase(MAC)!.state).not.toBe('off');
    expect(lab.firmwareHidden.size).toBe(0);
  });

  it('a fault the simulator cannot do yet is shown greyed with its reason and no working Inject button', ({ lab }) => {
    const info = { ...FAULT_CATALOGUE[0]!, available: false, unavailableReason: 'not yet available: the power grid is not modelled' };
    const card = renderFaultCard(info, labChoices(lab)).value;
    expect(card).toMatch(/<section class="fault-card unavailable"[^]*Unavailable: not yet available: the power grid is not modelled[^]*<button type="button" disabled>Inject<\/button>/);
    expect(card).not.toContain('<form');
  });

  it('a handset carried out of range for 10 minutes comes back by itself', async ({ app, lab }) => {
    const ipei = [...lab.handsets.keys()][0]!;
    const injected = await post(app, '/lab/faults/', [['type', 'handset-out-of-range'], ['handsets', ipei], ['duration', '10m']]);
    expect(decodeURIComponent(injected.headers.location as string)).toContain('It clears by itself at 2026-11-02 09:10:00 UTC.');
    expect(lab.getHandset(ipei)!.record.outOfRange).toBe(true);
    expect((await app.inject('/lab/faults/')).body).toMatch(/handset-out-of-range-1[^]*2026-11-02 09:10:00 UTC/);
    await lab.clock.advance(10 * MINUTE);
    expect(lab.getHandset(ipei)!.record.outOfRange).toBe(false);
    expect(faultsOf(lab).list()).toEqual([]);
  });

  it('several handsets and a site: a multi-select posts each, a site takes every base on it', async ({ app, lab }) => {
    const [a, b] = [...lab.handsets.keys()];
    await post(app, '/lab/faults/', [['type', 'handset-power-loss'], ['handsets', a!], ['handsets', b!]]);
    expect(faultsOf(lab).list()[0]).toMatchObject({ handsets: [a, b] });
    const site = await post(app, '/lab/faults/', [['type', 'site-network-loss'], ['site', 'default']]);
    expect(site.statusCode).toBe(303);
    expect(faultsOf(lab).list()[1]).toMatchObject({ type: 'site-network-loss', site: 'default' });
  });
});
