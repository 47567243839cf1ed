/**
 * The disk fills up while the simulator runs: a change is answered 507 (not 200, not a crash), what was changed stays
 * queued in memory, and once there is room again it is written without anyone repeating it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { LabStore } from '../../src/lab/lab-store.ts';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);

describe('A full disk', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers 507 with what to do, keeps the change queued, and writes it once the disk has room', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-full-'));
    dirs.push(dir);
    const file = path.join(dir, 'lab.db');
    const lab = await Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });
    const app = await buildApp({ lab });
    // SQLite's own way to make a database file "full": no page beyond what it has now.
    const db = (lab.store as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    // Handsets added one by one until the file has no room left (bounded: the free space of a few pages).
    let res = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 40' } });
    let added = 0;
    while (res.statusCode === 201 && added < 200) {
      added++;
      res = await app.inject({ method: 'POST', url: '/api/handsets', payload: { model: 'Rove 40' } });
    }
    expect(res.statusCode).toBe(507);
    const refusedIpei = [...lab.handsets.keys()].at(-1)!;
    expect(res.json()).toMatchObject({ code: 'LAB_WRITE_FAILED' });
    expect(res.json().message).toContain('the disk is full');
    expect(res.json().message).toContain('free some disk space');
    expect(lab.handsets.size).toBe(4 + added + 1); // the lab still runs with it
    expect(lab.store.pendingFailure).toBeDefined();
    // Room again: the next commit writes what waited (here: the next change; the store also retries on its own).
    db.pragma('max_page_count = 1073741823');
    const next = await app.inject({ method: 'POST', url: '/api/clock', payload: { advanceMs: 1000 } });
    expect(next.statusCode).toBe(200);
    expect(lab.store.pendingFailure).toBeUndefined();
    await app.close();
    await lab.close();
    const reopened = new LabStore(file);
    expect(reopened.list<{ ipei: string }>('handset').map((h) => h.ipei)).toContain(refusedIpei);
    reopened.close();
  });
});
