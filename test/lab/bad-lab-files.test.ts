/**
 * A technician points `--lab` at the wrong file, or the file was damaged: each case is refused in one clear line
 * (which file, what is wrong, what to do), nothing is written into a file that is not a Rove lab, nothing is left
 * listening, and `rove-sim start` ends with a non-zero exit code instead of hanging.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { LAB_SCHEMA_VERSION, LabStore } from '../../src/lab/lab-store.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/rove-sim.js');
const START = Date.UTC(2026, 10, 2, 9, 0, 0);

describe('Opening a file that is not a good lab', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function fileIn(name = 'lab.db'): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-bad-'));
    dirs.push(dir);
    return path.join(dir, name);
  }
  const open = (file: string) => Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });

  /** A lab file written and closed, then edited by hand as a damaged file would be. */
  async function labThenEdit(edit: (db: Database.Database) => void): Promise<string> {
    const file = fileIn();
    const lab = await open(file);
    await lab.close();
    const db = new Database(file);
    edit(db);
    db.close();
    return file;
  }

  it("refuses another program's SQLite database and leaves it byte for byte as it was", async () => {
    const file = fileIn('music.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Blue in Green');");
    db.close();
    const before = readFileSync(file);
    await expect(open(file)).rejects.toThrow(
      `${file} is not a Rove Simulator lab file: it holds tables of another program (songs). It was left untouched; choose another --lab file (a new name creates the default lab).`,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a file that is not a database at all, untouched', async () => {
    const file = fileIn('notes.txt');
    writeFileSync(file, 'Shopping list: batteries for the Rove 30 handsets\n'.repeat(20));
    const before = readFileSync(file);
    await expect(open(file)).rejects.toThrow(/notes\.txt is not a usable Rove Simulator lab file: file is not a database\. It was left untouched/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says which document is damaged when a document is not valid JSON', async () => {
    const file = await labThenEdit((db) => db.prepare("UPDATE documents SET data = '{\"mac\": \"0004F2A00001\", ' WHERE kind = 'base'").run());
    await expect(open(file)).rejects.toThrow(/lab\.db is damaged: its base document "0004F2A00001" is not valid JSON .*delete it to start again from the default lab\./);
  });

  it('says so when a handset document lacks what a handset needs (not an HTTP 500 on the overview later)', async () => {
    const file = await labThenEdit((db) => db.prepare("UPDATE documents SET data = '{}' WHERE kind = 'handset'").run());
    await expect(open(file)).rejects.toThrow(/lab\.db is damaged: a handset document lacks what a handset needs \(\{\}\)/);
  });

  it('refuses a lab written by a newer simulator', async () => {
    const file = await labThenEdit((db) => db.prepare("UPDATE meta SET value = ? WHERE key = 'schemaVersion'").run(String(LAB_SCHEMA_VERSION + 1)));
    await expect(open(file)).rejects.toThrow(`was written by a newer Rove Simulator (lab schema ${LAB_SCHEMA_VERSION + 1}`);
  });

  it('makes the default lab again when a first start was killed before the lab was complete', async () => {
    // What a kill during the first start can leave: the schema and the tenant's documents, no base, not marked made.
    const file = await labThenEdit((db) => {
      db.prepare("DELETE FROM documents WHERE kind IN ('base', 'handset')").run();
      db.prepare("DELETE FROM meta WHERE key = 'seeded'").run();
    });
    const lab = await open(file);
    expect([...lab.bases.keys()]).toEqual(['0004F2A00001']);
    expect(lab.handsets.size).toBe(4);
    await lab.close();
  });

  it('`rove-sim start` on a damaged lab prints one line and exits non-zero (no hang, no port left open)', async () => {
    const file = await labThenEdit((db) => db.prepare("UPDATE documents SET data = 'not json' WHERE kind = 'handset'").run());
    const child = spawn(process.execPath, [BIN, 'start', '--lab', file, '--port', '0', '--base-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // null: it hung and was killed
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^rove-sim: .*lab\.db is damaged: its handset document "[0-9A-F]+" is not valid JSON/);
  });
});

const openAt = (file: string) => Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });

describe('A first start killed while it creates the lab', () => {
  it('leaves a file the next start opens as the whole default lab, wherever the kill landed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-create-'));
    try {
      // How long a first start takes here, then kill points spread over it — most in its last part, where the file,
      // its tables, the tenant, the base and the handsets are written — and one after the banner.
      const { startSimulatorProcess } = await import('../support/simulator-process.ts');
      const t0 = performance.now();
      const probe = await startSimulatorProcess(path.join(dir, 'probe.db'));
      const startMs = performance.now() - t0;
      await probe.kill();
      for (const fraction of [0.3, 0.6, 0.75, 0.85, 0.9, 0.95, 1, 1.2]) {
        const delayMs = Math.round(startMs * fraction);
        const file = path.join(dir, `lab-${delayMs}.db`);
        const child = spawn(process.execPath, [BIN, 'start', '--lab', file, '--port', '0', '--base-port', '0'], { stdio: 'ignore' });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        await new Promise((r) => setTimeout(r, delayMs));
        child.kill('SIGKILL');
        await exited;
        const lab = await openAt(file);
        expect([...lab.bases.keys()], `killed after ${delayMs} ms`).toEqual(['0004F2A00001']);
        expect(lab.handsets.size, `killed after ${delayMs} ms`).toBe(4);
        expect(lab.teams.users().length, `killed after ${delayMs} ms`).toBeGreaterThan(0);
        await lab.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Nine starts of a process: a bound for a loaded machine, not a speed check.
  }, 240_000);
});

describe('A lab built from a scenario into a file', () => {
  it('is marked complete once built; a build that was interrupted is refused in one line', async () => {
    const { buildLab } = await import('../../src/rehearsal/build-lab.ts');
    const { parseScenario } = await import('../../src/rehearsal/scenario-loader.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-built-'));
    try {
      const file = path.join(dir, 'rehearsed.db');
      const scenario = parseScenario(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/scenarios/guide-single-handset.yaml'), 'utf8'));
      const built = await buildLab(scenario, { seed: 1, file });
      await built.lab.close();
      const store = new LabStore(file);
      expect(store.getMeta('building')).toBeUndefined();
      // What a kill during the build leaves: the mark still there.
      store.setMeta('building', 'the lab of scenario "guide"');
      store.close();
      await expect(openAt(file)).rejects.toThrow(
        `${file} was left half-built: the lab of scenario "guide" was interrupted before the lab was complete. Build it again with the same command, or delete the file.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
