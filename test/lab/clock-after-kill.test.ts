/**
 * Lab time never goes back: a simulator running on a fast clock is killed (SIGKILL) at 50 random moments; after each
 * kill the lab file is read as it was left, and the lab opened again must start at or after every time already
 * written into it (reboot log entries, saved changes, the clock row itself). Real processes; bounded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/lab.ts';

const KILLS = 50;

/** The latest event time written anywhere in the file: `at`, `…edAt`, `lastContactAt` fields (not deadlines), and the clock row. */
function latestWrittenTime(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    let latest = Number((db.prepare("SELECT value FROM meta WHERE key = 'clockNow'").get() as { value: string } | undefined)?.value ?? 0);
    const visit = (value: unknown, key: string): void => {
      if (typeof value === 'number' && (key === 'at' || /edAt$|ContactAt$/.test(key))) latest = Math.max(latest, value);
      else if (Array.isArray(value)) for (const v of value) visit(v, key);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
    };
    for (const row of db.prepare('SELECT data FROM documents').all() as Array<{ data: string }>) visit(JSON.parse(row.data), '');
    return latest;
  } finally {
    db.close();
  }
}

function runUntilKilled(file: string, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/run-until-killed.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code ?? signal} before it was killed`))));
  });
}

describe('The lab clock after kill -9 at random moments', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-kill-clock-'));
  const file = path.join(dir, 'lab.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`restarts at or after every time written to the lab file, ${KILLS} kills in a row`, async () => {
    // A seeded generator: the same moments on every run, spread from "just started" to a few seconds in.
    let seed = 20261202;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let previousStart = 0;
    for (let i = 0; i < KILLS; i++) {
      await runUntilKilled(file, Math.floor(random() * 1_500));
      const written = latestWrittenTime(file);
      const lab = await Lab.open({ file, speed: 1 });
      const now = lab.clock.now();
      await lab.close();
      expect(now, `kill ${i + 1}: the lab restarted at ${new Date(now).toISOString()}, behind ${new Date(written).toISOString()} in the file`).toBeGreaterThanOrEqual(written);
      expect(now, `kill ${i + 1}: the clock went back`).toBeGreaterThanOrEqual(previousStart);
      previousStart = now;
    }
  }, 300_000);
});
