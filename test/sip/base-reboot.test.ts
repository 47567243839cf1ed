import { afterEach, describe, expect, test } from 'vitest';
import type { Call } from '../../src/sip/line/call.ts';
import { LineGroup } from '../../src/sip/line/line-group.ts';
import { PASSWORD, SECOND, sipWorld } from './support.ts';

type World = ReturnType<typeof sipWorld>;
let world: World;
afterEach(async () => world?.close());

/** Alice (1001, on the base that goes down) talks to Bob (1002, on another base). */
async function callInProgress(w: World) {
  const [alice, bob] = await w.registered('1001', '1002');
  bob!.on('incoming', (call) => void call.answer());
  const call = alice!.call('1002');
  await w.settle();
  const atBob = bob!.activeCalls()[0]!;
  expect([call.state, atBob.state]).toEqual(['connected', 'connected']);
  return { alice: alice!, bob: bob!, call, atBob };
}

describe('A base going down drops its calls, and the other side sees it', () => {
  test('reboot: the firmware sends BYE before going; Bob sees a hang-up; the binding goes with the connection', async () => {
    world = sipWorld();
    const { alice, call, atBob } = await callInProgress(world);

    await alice.dispose('reboot');
    await world.settle();

    expect(call.end).toMatchObject({ cause: 'reboot' });
    expect(atBob.end).toMatchObject({ cause: 'remote-hangup' });
    expect(alice.state).toBe('Stopped');
    expect(world.server.isRegistered('1001')).toBe(false);
    expect(world.server.calls()).toEqual([]);
    // One BYE, from Alice's line; the server had nothing left to end.
    expect(world.server.timeline.entries({ method: 'BYE' }).map((e) => [e.direction, e.status])).toEqual([['in', 200]]);
  });

  test('power loss: nothing is sent; the server notices the lost connection and ends the call for Bob', async () => {
    world = sipWorld();
    const { alice, call, atBob } = await callInProgress(world);

    await alice.dispose('power-loss');
    await world.settle();

    expect(call.end).toMatchObject({ cause: 'power-loss' });
    expect(atBob.end).toMatchObject({ cause: 'connection-lost' });
    expect(world.server.timeline.entries({ method: 'BYE' })).toMatchObject([
      { direction: 'out', user: '1001', target: '1002', detail: 'Q.850;cause=41;text="Connection to the other party was lost"' },
    ]);
  });

  test('a rebooting callee refuses the call ringing there (480); a rebooting caller cancels the call it is placing', async () => {
    world = sipWorld();
    const [alice, bob, carol] = await world.registered('1001', '1002', '1003');
    const atBob: Call[] = [];
    bob!.on('incoming', (c) => atBob.push(c));
    const fromAlice = alice!.call('1002');
    await world.settle();
    await bob!.dispose('reboot');
    await world.settle();
    expect(atBob[0]!.end).toMatchObject({ cause: 'reboot' });
    expect(fromAlice.end).toMatchObject({ cause: 'unavailable', statusCode: 480 });

    const atCarol: Call[] = [];
    carol!.on('incoming', (c) => atCarol.push(c));
    alice!.call('1003');
    await world.settle();
    await alice!.dispose('reboot');
    await world.settle();
    expect(atCarol[0]!.end).toMatchObject({ cause: 'cancelled' });
  });
});

describe('A base with many lines: reboot and registration storm', () => {
  test('100 lines come back after a reboot, paced one every 100 ms, and all end up OK', async () => {
    world = sipWorld({ accounts: 100 });
    const group = new LineGroup({ clock: world.clock, profile: world.profile });
    for (let i = 0; i < 100; i++) {
      group.add({ extension: String(1001 + i), password: PASSWORD, domain: world.server.domain, connector: { kind: 'memory', server: world.server }, device: { id: '0004F2A00001' } });
    }
    group.start();
    await world.clock.advance(10 * SECOND);
    expect(group.statuses().every((s) => s.state === 'OK')).toBe(true);
    expect(world.server.registrations()).toHaveLength(100);

    // The base reboots: every line goes at once, and so do their bindings.
    await group.dispose('reboot');
    expect(group.statuses().every((s) => s.state === 'Stopped')).toBe(true);
    expect(world.server.registrations()).toHaveLength(0);
    const bootedAt = world.clock.now();

    // It is back: the storm. Line n sends its first REGISTER n × 100 ms after boot.
    const lines = group.start();
    await world.clock.advance(5 * SECOND - 1);
    expect(lines.filter((l) => l.state === 'OK')).toHaveLength(50);
    expect(lines.filter((l) => l.state === 'Idle')).toHaveLength(50);
    await world.clock.advance(5 * SECOND);
    expect(lines.filter((l) => l.state === 'OK')).toHaveLength(100);

    const storm = world.server.timeline.entries({ method: 'REGISTER', since: bootedAt }).filter((e) => e.status === 200);
    expect(storm).toHaveLength(100);
    const gaps = storm.slice(1).map((e, i) => e.at - storm[i]!.at);
    expect(Math.min(...gaps)).toBe(100);
  }, 60_000);

  test('a registrar that sheds load (503 Retry-After) makes the storm spread out, and every line still gets through', async () => {
    world = sipWorld({ accounts: 40, server: { maxRegistersPerSecond: 10 }, profile: { registerSpacingMs: 20 } });
    const group = new LineGroup({ clock: world.clock, profile: world.profile });
    for (let i = 0; i < 40; i++) {
      group.add({ extension: String(1001 + i), password: PASSWORD, domain: world.server.domain, connector: { kind: 'memory', server: world.server } });
    }
    const lines = group.start();
    await world.clock.advance(2 * SECOND);
    expect(lines.some((l) => l.status().statusCode === 503)).toBe(true);

    const allOk = await world.clock.advanceUntil(() => lines.every((l) => l.state === 'OK'), 10 * 60 * SECOND);
    expect(allOk).toBe(true);
    const rejected = world.server.timeline.entries({ method: 'REGISTER' }).filter((e) => e.status === 503);
    expect(rejected.length).toBeGreaterThan(0);
    await group.dispose('power-loss');
  }, 60_000);
});
