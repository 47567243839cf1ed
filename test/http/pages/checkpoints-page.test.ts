/** A trainer saves, restores and deletes checkpoints, resets to the scenario start and factory-resets a handset from the checkpoints page. */
import type { FastifyInstance } from 'fastify';
import { describe, expect } from 'vitest';
import { faultsOf } from '../../../src/live/faults/fault-board.ts';
import { listCheckpoints, saveCheckpoint } from '../../../src/live/checkpoints.ts';
import { it } from '../../support/app.ts';
import { MINUTE } from '../../support/lab.ts';

const MAC = '0004F2A00001';

function post(app: FastifyInstance, url: string, fields: Array<[string, string]>) {
  return app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('Checkpoints page', () => {
  it('saves a checkpoint, restores it after a power cut, and deletes it only once confirmed', async ({ app, lab }) => {
    expect((await app.inject('/')).body).toContain('href="/lab/checkpoints/"');
    expect((await app.inject('/lab/checkpoints/')).body).toContain('No checkpoint saved in this lab yet.');

    const saved = await post(app, '/lab/checkpoints/save', [['name', 'fresh']]);
    expect(saved.statusCode).toBe(303);
    const page = await app.inject(saved.headers.location as string);
    expect(page.body).toMatch(/Saved checkpoint fresh at lab time 2026-11-02 09:00:00 UTC \(\d+\.\d KB\)\./);
    expect(page.body).toMatch(/<code>fresh<\/code><\/td><td class="time">2026-11-02 09:00:00 UTC<\/td><td>\d+\.\d KB<\/td>/);

    faultsOf(lab).inject({ type: 'base-power-loss', bases: [MAC] });
    expect(lab.getBase(MAC)!.state).toBe('off');
    await lab.clock.advance(MINUTE);
    const restored = await post(app, '/lab/checkpoints/restore', [['name', 'fresh']]);
    expect(restored.statusCode).toBe(303);
    expect(decodeURIComponent(restored.headers.location as string)).toContain(
      'Restored checkpoint fresh (saved at 2026-11-02 09:00:00 UTC): faults cleared, every powered device is power-cycling. Lab time stays at 2026-11-02 09:01:00 UTC.',
    );
    expect(faultsOf(lab).list()).toEqual([]);
    await lab.clock.advanceUntil(() => lab.getBase(MAC)!.state === 'running', 5 * MINUTE);
    expect(lab.getBase(MAC)!.state).toBe('running');

    const unconfirmed = await post(app, '/lab/checkpoints/delete', [['name', 'fresh']]);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Checkpoint fresh was not deleted: tick &quot;yes, delete&quot; next to its Delete button to confirm.');
    expect(listCheckpoints(lab.store).map((c) => c.name)).toEqual(['fresh']);

    const deleted = await post(app, '/lab/checkpoints/delete', [['name', 'fresh'], ['confirm', 'yes']]);
    expect(deleted.statusCode).toBe(303);
    expect(listCheckpoints(lab.store)).toEqual([]);
    const missing = await post(app, '/lab/checkpoints/restore', [['name', 'fresh']]);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('no checkpoint &quot;fresh&quot; in this lab');
  });

  it('a name the API would refuse is refused with what to type, and the typed name stays in the field', async ({ app, lab }) => {
    const res = await post(app, '/lab/checkpoints/save', [['name', 'before rollout!']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Nothing was saved. &quot;before rollout!&quot; is not a checkpoint name: use 1 to 64 letters, digits, dots, dashes or underscores, e.g. before-rollout.');
    expect(res.body).toContain('value="before rollout!"');
    expect((await post(app, '/lab/checkpoints/save', [['name', '']])).body).toContain('A checkpoint needs a name');
    expect(listCheckpoints(lab.store)).toEqual([]);
  });

  it('shows "Reset to scenario start" only when the scenario-start checkpoint exists', async ({ app, lab }) => {
    expect((await app.inject('/lab/checkpoints/')).body).not.toContain('Reset to scenario start');
    saveCheckpoint(lab, 'scenario-start');
    const page = await app.inject('/lab/checkpoints/');
    expect(page.body).toMatch(/<input type="hidden" name="name" value="scenario-start">\s*<button class="primary big">Reset to scenario start<\/button>/);
    const reset = await post(app, '/lab/checkpoints/restore', [['name', 'scenario-start']]);
    expect(reset.statusCode).toBe(303);
    expect(decodeURIComponent(reset.headers.location as string)).toContain('Restored checkpoint scenario-start');
  });

  it('factory-resets one handset; a base is reset only once it is running', async ({ app, lab }) => {
    const ipei = [...lab.handsets.keys()][0]!;
    lab.getHandset(ipei)!.setName('Reception');
    const page = await app.inject('/lab/checkpoints/');
    expect(page.body).toContain(`<option value="${ipei}">${ipei} · `);
    const res = await post(app, '/lab/checkpoints/factory-reset', [['device', ipei]]);
    expect(res.statusCode).toBe(303);
    expect(decodeURIComponent(res.headers.location as string)).toContain(`Handset ${ipei} is back at factory defaults`);
    expect(lab.getHandset(ipei)!.record.name).toBeNull();

    const booting = await post(app, '/lab/checkpoints/factory-reset', [['device', MAC]]);
    expect(booting.statusCode).toBe(409);
    expect(booting.body).toContain('base 0004F2A00001 is booting; it can be reset once it is running');
    expect((await post(app, '/lab/checkpoints/factory-reset', [['device', '']])).body).toContain('choose a base or a handset first');
  });
});
