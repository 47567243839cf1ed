/**
 * A trainee has the simulator open and visits another site in the same Chromium. That site's page tries what a
 * malicious page would: an HTML form auto-posted to the control API, a form to a lab page, a `no-cors` fetch with a
 * JSON-looking text body, and a JSON fetch (which the browser first asks about with a preflight the simulator does not
 * grant). Nothing changes in the lab.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { listenOnLoopback } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

const MAC = '0004F2A00001';

describe('A page from another origin in the same browser', () => {
  let lab: Lab;
  let app: FastifyInstance;
  let browser: Browser;
  let simulator: string;
  let evil: http.Server;
  let evilUrl: string;

  beforeAll(async () => {
    lab = await openTestLab();
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 10 * MINUTE);
    app = await buildApp({ lab, guard: { loopbackOnly: true } });
    simulator = await listenOnLoopback(app);
    // The other site: another port on loopback is another origin (and the same site).
    evil = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>Free ringtones</title>
<iframe name="sink1" style="display:none"></iframe><iframe name="sink2" style="display:none"></iframe>
<form id="api" target="sink1" method="post" action="${simulator}/api/bases/${MAC}/settings"><input name="ntpServer" value="evil.example"></form>
<form id="page" target="sink2" method="post" action="${simulator}/lab/checkpoints/save"><input name="name" value="evil"></form>
<script>
  document.getElementById('api').submit();
  document.getElementById('page').submit();
  const results = [];
  fetch('${simulator}/api/clock', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"paused":false,"speed":1000}' })
    .then(() => results.push('no-cors sent'), (e) => results.push('no-cors ' + e.message));
  fetch('${simulator}/api/handsets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"Rove 30"}' })
    .then((r) => results.push('json ' + r.status), (e) => results.push('json blocked'));
  setTimeout(() => { document.title = 'done ' + results.join(', '); }, 1500);
</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    evil?.close();
    await app?.close();
    await lab?.close();
  });

  it('changes no setting, saves no checkpoint, adds no handset and leaves the clock alone', async () => {
    const handsets = lab.handsets.size;
    const ntp = lab.getBase(MAC)!.flash.settings.ntpServer;
    const clock = lab.clock.state();
    const page = await browser.newPage();
    await page.goto(evilUrl);
    await page.waitForFunction(() => document.title.startsWith('done'), undefined, { timeout: 20_000 });
    expect(await page.title()).toContain('json blocked'); // the preflight is not granted: the browser never sends it
    expect(lab.getBase(MAC)!.flash.settings.ntpServer).toBe(ntp);
    expect(lab.store.listCheckpoints()).toEqual([]);
    expect(lab.handsets.size).toBe(handsets);
    expect(lab.clock.state()).toMatchObject({ paused: clock.paused, speed: clock.speed });
    await page.close();
  });
});
