import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handset } from '../../../src/devices/handset/handset.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { registerHandset, waitForBootedLab } from '../../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

describe('The registration storm, as an IT lead sees it', () => {
  let lab: Lab;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await lab?.close();
  });

  it('after a base reboot every line registers again: the timeline and the /sip/ page show the REGISTERs', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    app = await buildApp({ lab });
    const base = lab.getBase('0004F2A00001')!;
    const handsets = [...lab.handsets.values()] as Handset[];
    await waitForBootedLab(lab, base, ...handsets);
    for (const [i, h] of handsets.entries()) await registerHandset(lab, base, h, i + 1);
    await lab.clock.advanceUntil(() => handsets.every((h) => h.view().line?.state === 'OK'), MINUTE);

    const before = lab.clock.now();
    base.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await lab.clock.advanceUntil(() => handsets.every((h) => h.view().line?.state === 'OK'), 10 * MINUTE);

    const res = await app.inject(`/api/sip/timeline?server=lab&method=REGISTER&since=${before}`);
    const items = res.json().items as Array<{ user: string; status: number; at: number }>;
    const registered = new Set(items.filter((e) => e.status === 200).map((e) => e.user));
    expect([...registered].sort()).toEqual(['1001', '1002', '1003', '1004']);
    // Paced, not all at the same instant.
    expect(new Set(items.map((e) => e.at)).size).toBeGreaterThan(1);

    const regs = await app.inject('/api/sip/registrations');
    expect((regs.json().items as Array<{ extension: string }>).map((r) => r.extension).sort()).toEqual(['1001', '1002', '1003', '1004']);

    const page = await app.inject('/sip/?window=10%20min');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('REGISTER requests, last 10 min');
    expect(page.body).toContain('<svg class="chart"');
    expect(page.body).toMatch(/\d+ REGISTER in the window/);

    const bad = await app.inject('/api/sip/timeline?server=mars');
    expect(bad.statusCode).toBe(400);
  });
});
