import { describe, expect } from 'vitest';
import { it } from '../../support/app.ts';

describe('Lab overview page', () => {
  it('lists the bases with a link to each web admin and shows the lab clock', async ({ app, lab }) => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('00:04:F2:A0:00:01');
    expect(res.body).toContain('href="/bases/0004F2A00001/"');
    expect(res.body).toContain('2026-11-02 09:00:00 UTC');
    expect(res.body).toContain('<strong>paused</strong>');
    const ipei = [...lab.handsets.keys()][0]!;
    expect(res.body).toContain(`href="/handsets/${ipei}/"`);
  });

  it('links the faults, checkpoints and replay viewer pages, side by side', async ({ app }) => {
    const body = (await app.inject('/')).body;
    expect(body).toMatch(/<a href="\/lab\/faults\/">[^<]*<\/a> · <a href="\/lab\/checkpoints\/">[^<]*<\/a> · <a href="\/replay\/">Replay a rehearsal's event log<\/a>/);
    expect((await app.inject('/replay/')).statusCode).toBe(200);
  });

  it('a trainer advances the lab clock by ten minutes with a button, and the base has booted', async ({ app, lab }) => {
    const res = await app.inject({ method: 'POST', url: '/lab/clock', payload: 'advanceMs=600000', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?done=Clock%20advanced%20by%2010%20min');
    expect(lab.getBase('0004F2A00001')!.state).toBe('running');
    const page = await app.inject('/?done=Clock%20advanced%20by%2010%20min');
    expect(page.body).toContain('2026-11-02 09:10:00 UTC');
    expect(page.body).toContain('Clock advanced by 10 min');
  });

  it('refuses a clock value that is not one of the buttons', async ({ app, lab }) => {
    const res = await app.inject({ method: 'POST', url: '/lab/clock', payload: 'speed=0', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(400);
    expect(lab.clock.speed).toBe(1);
  });
});
