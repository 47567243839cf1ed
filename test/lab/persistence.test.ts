import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE } from '../support/lab.ts';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);

describe('The lab file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function labFile(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-lab-'));
    dirs.push(dir);
    return path.join(dir, 'lab.db');
  }
  const open = (file: string) => Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });

  it('a new lab file holds the default lab: one Rove B4 at factory defaults with pre-Teams firmware', async () => {
    const lab = await open(labFile());
    expect([...lab.bases.values()].map((b) => b.status())).toMatchObject([
      { mac: '0004F2A00001', model: 'B4', firmware: '8.0.0.0402', state: 'booting' },
    ]);
    expect(lab.getBase('0004F2A00001')!.mustChangePassword).toBe(true);
    await lab.close();
  });

  it('keeps flash (password, settings, firmware, reboot count) across a restart of the simulator', async () => {
    const file = labFile();
    let lab = await open(file);
    let base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.setAdminPassword('Rollout2026');
    base.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    await lab.clock.advanceUntil(() => base.status().firmware === '8.0.3.0009' && base.state === 'running', 30 * MINUTE);
    lab.addBase({ model: 'B2', mac: '00:04:f2:00:00:99' });
    await lab.close();

    lab = await open(file);
    base = lab.getBase('0004F2A00001')!;
    expect(base.checkAdminPassword('Rollout2026')).toBe(true);
    expect(base.checkAdminPassword('admin')).toBe(false);
    expect(base.flash.settings.firmwareServer).toBe('http://downloads.polycom.com/');
    expect(base.status()).toMatchObject({ firmware: '8.0.3.0009', reboots: 1, state: 'booting' });
    expect(lab.getBase('0004F2000099')?.flash.model).toBe('B2');
    await lab.close();
  });

  it('a simulator killed while saving leaves a consistent lab file that opens with the last saved values', async () => {
    const file = labFile();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/write-until-killed.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const lab = await open(file);
    expect(lab.getBase('0004F2A00001')!.flash.settings.ntpServer).toMatch(/^ntp\d+\.example\.com$/);
    await lab.close();
  });

  it('refuses a file that is not a lab, with a message that says so', async () => {
    const file = labFile();
    writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(100));
    await expect(open(file)).rejects.toThrow(/is not a usable Rove Simulator lab file/);
  });
});
