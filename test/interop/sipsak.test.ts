/**
 * sipsak (Debian `sipsak`) checks `rove-sim start`'s SIP listener the way a technician would: an OPTIONS over UDP and
 * over TCP gets 200. Loopback, free ports, every run bounded.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../src/http/start-server.ts';
import { runTool } from './support/run-tool.ts';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ labFile: ':memory:', host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, sipPort: 0, log: () => {} });
});

afterAll(async () => {
  await sim?.close();
});

describe("sipsak against rove-sim start's SIP listener", () => {
  test.each(['udp', 'tcp'] as const)('OPTIONS over %s gets 200 OK', async (transport) => {
    const port = sim.sip![transport]!.port;
    const run = await runTool('sipsak', ['-v', '-H', '127.0.0.1', '-E', transport, '-s', `sip:127.0.0.1:${port}`], 15);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/SIP\/2\.0 200 OK/);
  });
});
