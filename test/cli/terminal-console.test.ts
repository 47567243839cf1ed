import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderScreen } from '../../src/cli/terminal-console.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import { listenOnLoopback } from '../support/app.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/rove-sim.js');

function runConsole(args: string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'console', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, out });
    });
    child.stdin.end(input);
  });
}

describe('rove-sim console (terminal)', () => {
  let lab: Lab;
  let app: FastifyInstance;
  let server: string;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
    server = `${await listenOnLoopback(app)}`;
    await lab.clock.advance(2 * MINUTE);
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  it('draws the handset screen and takes piped key strings', async () => {
    const ipei = [...lab.handsets.keys()][0]!;
    const { code, out } = await runConsole([ipei, '--server', server], '{menu}\n{down}{down}\n');
    expect(code).toBe(0);
    expect(out).toContain(`Rove 30  IPEI ${ipei}`);
    expect(out).toContain('Unregistered');
    expect(out).toContain('> Settings');
    expect(lab.getHandset(ipei)!.view().screen).toBe('menu');
  });

  it('says what is wrong for an unknown handset and exits non-zero', async () => {
    const { code, out } = await runConsole(['FFFFFFFFFF', '--server', server], '');
    expect(code).toBe(1);
    expect(out).toContain('no handset with IPEI FFFFFFFFFF');
  });

  it('says how to fix it when no simulator is running', async () => {
    const { code, out } = await runConsole(['FFFFFFFFFF', '--server', 'http://127.0.0.1:9'], '');
    expect(code).toBe(1);
    expect(out).toContain('Is the simulator running');
  });

  it('renders a boxed screen with model, IPEI, firmware and LED', () => {
    const text = renderScreen(lab.getHandset([...lab.handsets.keys()][0]!)!.view(), 'three busy tones');
    expect(text.split('\n')[0]).toMatch(/^Rove 30 {2}IPEI [0-9A-F]{10} {2}fw 8\.0\.0\.0402 {2}unregistered$/);
    expect(text).toContain('♪ three busy tones');
    expect(text).toContain('┌──');
  });
});
