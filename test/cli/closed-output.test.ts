/**
 * A support engineer pipes a replay into `head`: `rove-sim replay events.jsonl | head -3`. When head has read its
 * lines and closes the pipe, rove-sim stops quietly — exit code 0, no EPIPE stack trace on the terminal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SMALL_LOG } from '../rehearsal/replay/small-log.ts';

const CLI = path.resolve('bin/rove-sim.js');

describe('rove-sim with its output closed early', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-closed-output-'));
  const log = path.join(dir, 'events.jsonl');
  writeFileSync(log, SMALL_LOG);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits quietly when the reader of a replay goes away after the first line', async () => {
    // 20 lab minutes at 600 lab ms per real ms: the replay still prints for about two seconds after the first line
    const child = spawn(process.execPath, [CLI, 'replay', log, '--speed', '600'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect(first).toMatch(/^Replay of "Known replay"/);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
