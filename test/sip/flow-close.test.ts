import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { digestAnswer, udpPeerOn } from './raw-peer.ts';
import { sipWorld } from './support.ts';

const PASSWORD = 'rove-secret-1';
let clock: VirtualClock;
let server: SipServer;

beforeEach(() => {
  clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
  server = new SipServer({
    clock,
    accounts: ['1001', '1002', '1003'].map((extension) => ({ extension, password: PASSWORD })),
  });
});
afterEach(async () => {
  await server.close();
  clock.dispose();
});

const peerOn = (port: number) => udpPeerOn(server, clock, port, PASSWORD);

const closedBindings = () =>
  server.timeline
    .entries({ kind: 'binding' })
    .filter((e) => e.detail?.startsWith('flow-closed'))
    .map((e) => e.detail);

describe('Closing a flow', () => {
  test('drops the bindings, contacts and transactions of that flow only', () => {
    const a = peerOn(5101);
    const b = peerOn(5102);
    const fromA = a.register('1001', ['<sip:1001@127.0.0.1:5101>']);
    const fromB = b.register('1002', ['<sip:1002@127.0.0.1:5102>']);
    expect(server.flowForContact('1001@127.0.0.1:5101')).toBe(a.flow);
    expect(server.flowForContact('1002@127.0.0.1:5102')).toBe(b.flow);

    server.flowClosed(a.flow);

    expect(server.isRegistered('1001')).toBe(false);
    expect(server.isRegistered('1002')).toBe(true);
    expect(closedBindings()).toEqual(['flow-closed: sip:1001@127.0.0.1:5101']);
    expect(server.flowForContact('1001@127.0.0.1:5101')).toBeUndefined();
    expect(server.flowForContact('1002@127.0.0.1:5102')).toBe(b.flow);
    // B's REGISTER transaction is still remembered (UDP: 32 s): its retransmission gets the same answer, once.
    const registersBefore = server.timeline.entries({ method: 'REGISTER' }).length;
    expect(b.send(fromB.text).map((x) => x.text)).toEqual([fromB.answer.text]);
    expect(server.timeline.entries({ method: 'REGISTER' })).toHaveLength(registersBefore);
    // A's is forgotten: the same request again is a new transaction (handled, not answered from memory).
    const again = a.send(fromA.text);
    expect(again).toHaveLength(1);
    expect(server.timeline.entries({ method: 'REGISTER' })).toHaveLength(registersBefore + 1);
  });

  test('several bindings on one flow all go, in the order the registrar lists them, refreshed ones included', () => {
    const a = peerOn(5101);
    const b = peerOn(5102);
    a.register('1001', ['<sip:1001@127.0.0.1:5101>', '<sip:1001@127.0.0.1:5111>']);
    a.register('1002', ['<sip:1002@127.0.0.1:5101>']);
    b.register('1003', ['<sip:1003@127.0.0.1:5102>']);
    // A refresh replaces the binding but keeps its place in the listing.
    a.register('1001', ['<sip:1001@127.0.0.1:5101>']);
    const listing = server.registrations().map((r) => r.contact);

    server.flowClosed(a.flow);

    expect(closedBindings()).toEqual([
      'flow-closed: sip:1001@127.0.0.1:5101',
      'flow-closed: sip:1001@127.0.0.1:5111',
      'flow-closed: sip:1002@127.0.0.1:5101',
    ]);
    expect(listing).toHaveLength(4);
    expect(server.registrations().map((r) => r.extension)).toEqual(['1003']);
    // Closing it again (or a flow that owned nothing) changes nothing.
    server.flowClosed(a.flow);
    expect(closedBindings()).toHaveLength(3);
  });

  test('a binding that moved to another flow stays when the old flow closes', () => {
    const a = peerOn(5101);
    const b = peerOn(5102);
    a.register('1001', ['<sip:1001@127.0.0.1:5101>']);
    b.register('1001', ['<sip:1001@127.0.0.1:5101>']);
    expect(server.flowForContact('1001@127.0.0.1:5101')).toBe(b.flow);

    server.flowClosed(a.flow);

    expect(server.isRegistered('1001')).toBe(true);
    expect(server.flowForContact('1001@127.0.0.1:5101')).toBe(b.flow);
    server.flowClosed(b.flow);
    expect(server.isRegistered('1001')).toBe(false);
    expect(closedBindings()).toEqual(['flow-closed: sip:1001@127.0.0.1:5101']);
  });
});

describe('A line going away', () => {
  test('ends only the calls it was in; other calls and registrations stay', async () => {
    const world = sipWorld();
    try {
      const [alice, bob, carol, dave] = await world.registered('1001', '1002', '1003', '1004');
      bob!.on('incoming', (call) => void call.answer());
      dave!.on('incoming', (call) => void call.answer());
      const ab = alice!.call('1002');
      const cd = carol!.call('1004');
      await world.settle();
      expect([ab.state, cd.state]).toEqual(['connected', 'connected']);
      expect(world.server.calls()).toHaveLength(2);

      await alice!.dispose('power-loss');
      await world.settle();

      expect(bob!.activeCalls()).toEqual([]);
      expect(cd.state).toBe('connected');
      expect(world.server.calls().map((c) => [c.caller, c.callee])).toEqual([['1003', '1004']]);
      expect(['1001', '1002', '1003', '1004'].map((e) => world.server.isRegistered(e))).toEqual([false, true, true, true]);
      // The server's BYE went to Bob only.
      expect(world.server.timeline.entries({ method: 'BYE' }).filter((e) => e.direction === 'out').map((e) => e.target)).toEqual(['1002']);
    } finally {
      await world.close();
    }
  });

  test('tells its listeners Stopped, and once more after its calls have ended', async () => {
    const world = sipWorld();
    try {
      const [alice, bob] = await world.registered('1001', '1002');
      bob!.on('incoming', (call) => void call.answer());
      const call = alice!.call('1002');
      await world.settle();
      const seen: string[] = [];
      alice!.on('state', (s) => seen.push(`state ${s.state}`));
      alice!.on('changed', () => seen.push(`changed, call ${call.state}`));

      await alice!.dispose('reboot');

      expect(seen[0]).toBe('state Stopped');
      expect(seen.slice(-2)).toEqual(['state Stopped', 'changed, call ended']);
    } finally {
      await world.close();
    }
  });
});
