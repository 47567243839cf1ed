/** `rove-sim start` options that choose a documented behaviour (seed 003 vs Microsoft's table). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StartOptions, startSimulator } from '../../src/http/start-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/rove-sim.js');

/** `rove-sim start` in-process on any free ports, printing nothing, with these options. */
const startQuietly = (options: Partial<StartOptions> = {}) =>
  startSimulator({ labFile: ':memory:', host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, log: () => undefined, ...options });

/** `rove-sim start` refusing an option value: exits non-zero and names the choices. */
function refusesChoice(option: string, choices: string): void {
  const r = spawnSync(process.execPath, [BIN, 'start', option, 'whatever', '--lab', ':memory:'], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(`Allowed choices are ${choices}`);
}

describe('rove-sim start --missing-tenant-id-error', () => {
  it('picks what bulk sign-in answers for a device whose ConfigURL lacks /tenantid/ (default: Microsoft\'s table)', async () => {
    for (const [chosen, expected] of [[undefined, 'tag-missing'], ['not-trusted', 'not-trusted']] as const) {
      const sim = await startQuietly(chosen ? { missingTenantIdError: chosen } : {});
      expect(sim.lab.teams.profile.bulkMissingTagError).toBe(expected);
      await sim.close();
    }
  });

  it('refuses a kind it does not know, naming the choices', () => {
    refusesChoice('--missing-tenant-id-error', 'tag-missing, not-trusted');
  });
});

describe('rove-sim start --untrusted-ip-error', () => {
  it("picks the words of bulk sign-in's trusted-IP error (default: Microsoft's table; detailed: seed 003's sentence)", async () => {
    for (const [chosen, expected] of [[undefined, 'table'], ['detailed', 'detailed']] as const) {
      const sim = await startQuietly(chosen ? { untrustedIpError: chosen } : {});
      expect(sim.lab.teams.profile.bulkUntrustedIpError).toBe(expected);
      expect(sim.lab.teams.profile.bulkMissingTagError).toBe('tag-missing');
      await sim.close();
    }
  });

  it('refuses words it does not know, naming the choices', () => {
    refusesChoice('--untrusted-ip-error', 'table, detailed');
  });
});

describe('rove-sim start --lab-template', () => {
  it('a new lab file is at factory defaults unless calls-demo is asked for; an existing file keeps what it has and says so', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-template-'));
    try {
      const start = (labFile: string, labTemplate?: 'factory' | 'calls-demo') => {
        const lines: string[] = [];
        const sim = startSimulator({
          labFile, host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, log: (l) => lines.push(l),
          ...(labTemplate ? { labTemplate } : {}),
        });
        return sim.then((s) => ({ sim: s, lines }));
      };
      const factory = await start(path.join(dir, 'factory.db'));
      const base = [...factory.sim.lab.bases.values()][0]!;
      expect(base.flash.sip?.servers ?? []).toEqual([]);
      expect(factory.lines.join('\n')).toContain('Lab: factory — the base at factory defaults, nothing configured');
      await factory.sim.close();

      const demoFile = path.join(dir, 'demo.db');
      const demo = await start(demoFile, 'calls-demo');
      expect([...demo.sim.lab.bases.values()][0]!.flash.sip?.extensions.map((e) => e.extension)).toEqual(['1001', '1002', '1003', '1004']);
      await demo.sim.close();

      const again = await start(demoFile, 'factory');
      expect([...again.sim.lab.bases.values()][0]!.flash.sip?.extensions).toHaveLength(4);
      expect(again.lines.join('\n')).toContain('--lab-template factory applies to a new lab file');
      await again.sim.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a template it does not know, naming the choices', () => {
    refusesChoice('--lab-template', 'factory, calls-demo');
  });
});

describe('Stopping the simulator', () => {
  it('closes even while a console and a kept-alive browser connection are open (Ctrl+C does not hang)', async () => {
    const { default: WebSocket } = await import('ws');
    const http = await import('node:http');
    const sim = await startSimulator({ labFile: ':memory:', host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, log: () => undefined });
    const ipei = [...sim.lab.handsets.keys()][0]!;
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/consoles/${ipei}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get(`${sim.url}/api/health`, { agent }, (res) => res.resume().on('end', () => resolve())));
    const closed = await Promise.race([sim.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 10 s'), 10_000))]);
    expect(closed).toBe('closed');
    agent.destroy();
  });
});
