/**
 * The XState speed-ups (src/kernel/xstate-speedups.ts): the installed XState carries them (npm's postinstall put them
 * there), they can be undone and done again to the same bytes, they edit nothing when the anchors are not XState
 * 5.33.3's, and a machine walk and whole rehearsals come out byte for byte the same with them switched off.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  applyXstateSpeedups,
  revertXstateSpeedups,
  XSTATE_SPEEDUPS_ENV,
  XSTATE_VERSION,
  xstatePackageDir,
  xstateSpeedupsStatus,
} from '../../src/kernel/xstate-speedups.ts';
import { CLI } from '../support/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rove-xstate-speedups-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the installed package's package.json and the four files the speed-ups edit. */
function copyOfXstate(name: string): { dir: string; files: string[] } {
  const installed = xstateSpeedupsStatus();
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(xstatePackageDir(), 'package.json'), path.join(dir, 'package.json'));
  for (const file of installed.files) cpSync(path.join(xstatePackageDir(), file), path.join(dir, file));
  return { dir, files: installed.files };
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the edited XState files', () => {
  test('the installed XState carries the speed-ups (npm ci ran the postinstall)', () => {
    const status = xstateSpeedupsStatus();
    expect(status.reason).toBeUndefined();
    expect(status).toMatchObject({ applied: true, version: XSTATE_VERSION });
    expect(status.files).toHaveLength(4);
    expect(status.files.filter((f) => f.includes('.development.'))).toHaveLength(2);
  });

  test('undone, the files are XState’s own; done again, the same bytes as installed; doing it twice changes nothing', () => {
    const { dir, files } = copyOfXstate('roundtrip');
    const installed = files.map((f) => readFileSync(path.join(xstatePackageDir(), f), 'utf8'));
    const reverted = revertXstateSpeedups(dir);
    expect(reverted.applied).toBe(false);
    for (const [i, f] of files.entries()) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text).not.toContain('rove-sim');
      expect(text).not.toContain('ROVE_XS_FAST');
      expect(text.length).toBeLessThan(installed[i]!.length);
    }
    expect(applyXstateSpeedups(dir).applied).toBe(true);
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(installed);
    expect(applyXstateSpeedups(dir).applied).toBe(true);
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(installed);
  });

  test('another XState version is left as it is, with the reason', () => {
    const { dir, files } = copyOfXstate('other-version');
    revertXstateSpeedups(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '5.40.0' }));
    const before = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const status = applyXstateSpeedups(dir);
    expect(status.applied).toBe(false);
    expect(status.reason).toBe(`XState 5.40.0 is installed; the speed-ups are written for ${XSTATE_VERSION}`);
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
  });

  test('a missing anchor in one file edits no file at all, and says which edit', () => {
    const { dir, files } = copyOfXstate('missing-anchor');
    revertXstateSpeedups(dir);
    const machineFile = files.find((f) => f.startsWith('dist/StateMachine-') && !f.includes('.development.'))!;
    const text = readFileSync(path.join(dir, machineFile), 'utf8');
    writeFileSync(path.join(dir, machineFile), text.replace('const actions = [];', 'const actionList = [];'));
    const before = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const status = applyXstateSpeedups(dir);
    expect(status.applied).toBe(false);
    expect(status.reason).toBe(`${machineFile}: StateNode.next (edit 6): anchor found 0 times, expected once`);
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
  });
});

describe('the same results with the speed-ups off', () => {
  test(`${XSTATE_SPEEDUPS_ENV}=off runs XState's own code (a clone by assign gets a state value of its own)`, async () => {
    const walk = path.join(ROOT, 'test/kernel/fixtures/xstate-walk.ts');
    expect((await run(['--import', 'tsx', walk, '--probe'], {})).stdout).toBe('value shared: true\n');
    expect((await run(['--import', 'tsx', walk, '--probe'], { [XSTATE_SPEEDUPS_ENV]: 'off' })).stdout).toBe('value shared: false\n');
  });

  test('a machine walk (parallel regions, assign, eventless, reentry, history, final, done, delays, invoke)', async () => {
    const walk = path.join(ROOT, 'test/kernel/fixtures/xstate-walk.ts');
    const on = await run(['--import', 'tsx', walk], {});
    const off = await run(['--import', 'tsx', walk], { [XSTATE_SPEEDUPS_ENV]: 'off' });
    expect(on.stderr).toBe('');
    expect(on.code).toBe(0);
    expect(off.code).toBe(0);
    expect(on.stdout.split('\n').length).toBeGreaterThan(20);
    expect(on.stdout).toContain('status=done');
    expect(on.stdout).toBe(off.stdout);
  });

  test.each(['guide-single-handset.yaml', 'multi-cell-chain.yaml', 'company-3-sites-per-base.yaml'])(
    'rehearsing %s writes the same report, event log and helpdesk files',
    async (scenario) => {
      const outputs: Record<string, Record<string, string>> = {};
      for (const mode of ['on', 'off']) {
        const dir = path.join(scratch, `${scenario}-${mode}`);
        const result = await run([CLI, 'rehearse', `fixtures/scenarios/${scenario}`, '--no-compare', '--report', dir], mode === 'off' ? { [XSTATE_SPEEDUPS_ENV]: 'off' } : {});
        expect(result.stdout).toMatch(/^PASSED: /m);
        outputs[mode] = Object.fromEntries(['report.json', 'events.jsonl', 'helpdesk.csv', 'site-outages.csv'].map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
      }
      expect(outputs['on']!['events.jsonl']!.split('\n').length).toBeGreaterThan(10);
      expect(outputs['on']).toEqual(outputs['off']);
    },
    120_000,
  );
});
