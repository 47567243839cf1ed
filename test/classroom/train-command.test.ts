/**
 * `rove-sim train` from the command line, in a child process: an invalid exercise is refused with its line-numbered
 * problems (exit 2); a shipped one starts, prints the trainee view first, serves it without a login, and stops on
 * SIGTERM keeping the lab file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('bin/rove-sim.js');
const dir = mkdtempSync(path.join(tmpdir(), 'rove-train-cli-'));

function run(args: string[], until?: RegExp): Promise<{ code: number | null; out: string; match?: RegExpExecArray; stop(): void; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer in time:\n${out}`));
    }, 60_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = until?.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ code: null, out, match, stop: () => child.kill('SIGTERM'), exited });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      resolve({ code, out, stop: () => undefined, exited });
    });
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rove-sim train', () => {
  it('refuses an invalid exercise with its problems and exit code 2', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'title: Broken\nbriefing: Do {{nothing}}\ntasks: []\n');
    const { code, out } = await run(['train', file, '--dir', path.join(dir, 'broken'), '--port', '0']);
    expect(code).toBe(2);
    expect(out).toContain('broken.yaml:3: tasks: [] must NOT have fewer than 1 items');
  });

  it('starts a shipped exercise, prints the trainee view first, and keeps the lab when stopped', async () => {
    const lab = path.join(dir, 'mine');
    const started = await run(['train', 'fixtures/exercises/register-handset.yaml', '--dir', lab, '--port', '0'], /Trainee view: +(http:\/\/\S+)\n[\s\S]*Press Ctrl\+C/);
    try {
      expect(started.out.split('\n')[1]).toMatch(/^ {2}Trainee view: +http:\/\/127\.0\.0\.1:\d+\/training\/$/);
      const view = await fetch(started.match![1]!);
      expect(view.status).toBe(200);
      expect(await view.text()).toContain('Registering handsets');
    } finally {
      started.stop();
    }
    expect(await started.exited).toBe(0);
    expect(existsSync(path.join(lab, 'register-handset.db'))).toBe(true);
  });
});
