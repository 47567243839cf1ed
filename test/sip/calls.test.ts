import { afterEach, describe, expect, test } from 'vitest';
import type { Call } from '../../src/sip/line/call.ts';
import type { Line } from '../../src/sip/line/line.ts';
import { udpPeerOn } from './raw-peer.ts';
import { SECOND, sipWorld } from './support.ts';

type World = ReturnType<typeof sipWorld>;
let world: World;
afterEach(async () => world?.close());

/** Collects the calls ringing on a line. */
function ringingOn(line: Line): Call[] {
  const calls: Call[] = [];
  line.on('incoming', (call) => calls.push(call));
  return calls;
}

describe('Calls between two handsets through the embedded SIP server', () => {
  test('Alice (1001) calls Bob (1002): ringing, answer, connected, Alice hangs up, both see it end', async () => {
    world = sipWorld();
    const [alice, bob] = await world.registered('1001', '1002');
    const atBob = ringingOn(bob!);

    const call = alice!.call('1002');
    const heard: string[] = [];
    for (const event of ['ringing', 'connected', 'ended'] as const) call.on(event, () => heard.push(event));
    expect(call.state).toBe('dialing');
    await world.settle();
    expect(call.state).toBe('ringing');
    expect(atBob).toHaveLength(1);
    const incoming = atBob[0]!;
    expect(incoming.view()).toMatchObject({ direction: 'incoming', state: 'ringing', remote: { user: '1001' } });

    await incoming.answer();
    await world.settle();
    expect(call.state).toBe('connected');
    expect(incoming.state).toBe('connected');
    expect(world.server.calls()).toMatchObject([{ caller: '1001', callee: '1002', state: 'answered' }]);

    await call.hangup();
    await world.settle();
    expect(call.end).toMatchObject({ cause: 'local-hangup' });
    expect(incoming.end).toMatchObject({ cause: 'remote-hangup' });
    expect(heard).toEqual(['ringing', 'connected', 'ended']);
    expect(world.server.calls()).toEqual([]);
    expect(alice!.activeCalls()).toEqual([]);
  });

  test('Bob is already on a call: Carol hears busy (486)', async () => {
    world = sipWorld();
    const [alice, bob, carol] = await world.registered('1001', '1002', '1003');
    bob!.on('incoming', (call) => void call.answer());
    alice!.call('1002');
    await world.settle();

    const second = carol!.call('1002');
    await world.settle();
    expect(second.end).toMatchObject({ cause: 'busy', statusCode: 486 });
    expect(bob!.busyRejected).toBe(1);
  });

  test('Bob rejects the call from the handset: busy or decline', async () => {
    world = sipWorld();
    const [alice, bob] = await world.registered('1001', '1002');
    const atBob = ringingOn(bob!);
    const first = alice!.call('1002');
    await world.settle();
    await atBob[0]!.reject('busy');
    await world.settle();
    expect(first.end).toMatchObject({ cause: 'busy', statusCode: 486 });
    expect(atBob[0]!.end).toMatchObject({ cause: 'busy' });

    const second = alice!.call('1002');
    await world.settle();
    await atBob[1]!.hangup(); // the red key while ringing declines
    await world.settle();
    expect(second.end).toMatchObject({ cause: 'declined', statusCode: 603 });
  });

  test('nobody answers: after the no-answer time Bob\'s line gives up with 480 No Answer', async () => {
    world = sipWorld({ profile: { noAnswerMs: 45 * SECOND } });
    const [alice, bob] = await world.registered('1001', '1002');
    const atBob = ringingOn(bob!);
    const call = alice!.call('1002');
    await world.settle();

    await world.clock.advance(44 * SECOND);
    expect(call.state).toBe('ringing');
    await world.clock.advance(1 * SECOND);
    expect(call.end).toMatchObject({ cause: 'no-answer', statusCode: 480, reason: 'No Answer' });
    expect(atBob[0]!.end).toMatchObject({ cause: 'no-answer' });
  });

  test('Alice gives up while it rings: Bob sees a missed (cancelled) call', async () => {
    world = sipWorld();
    const [alice, bob] = await world.registered('1001', '1002');
    const atBob = ringingOn(bob!);
    const call = alice!.call('1002');
    await world.settle();
    await call.hangup();
    await world.settle();
    expect(call.end).toMatchObject({ cause: 'local-hangup' });
    expect(atBob[0]!.end).toMatchObject({ cause: 'cancelled' });
  });

  test('an unknown extension is not found (404); a known one that is not registered is unavailable (480)', async () => {
    world = sipWorld();
    const [alice] = await world.registered('1001');
    const unknown = alice!.call('1099');
    const offline = alice!.call('1005');
    await world.settle();
    expect(unknown.end).toMatchObject({ cause: 'not-found', statusCode: 404 });
    expect(offline.end).toMatchObject({ cause: 'unavailable', statusCode: 480 });
  });

  test('hold and resume: re-INVITE with a=sendonly, then a=sendrecv; Bob sees he is held', async () => {
    world = sipWorld();
    const [alice, bob] = await world.registered('1001', '1002');
    bob!.on('incoming', (call) => void call.answer());
    const call = alice!.call('1002');
    await world.settle();
    const atBob = bob!.activeCalls()[0]!;

    expect(await call.hold()).toBe(true);
    expect(call.onHold).toBe(true);
    expect(atBob.heldByRemote).toBe(true);
    expect(atBob.onHold).toBe(false);

    expect(await call.resume()).toBe(true);
    expect(call.onHold).toBe(false);
    expect(atBob.heldByRemote).toBe(false);

    // Bob may hold too, from his side.
    expect(await atBob.hold()).toBe(true);
    expect(call.heldByRemote).toBe(true);
    const invites = world.server.timeline.entries({ method: 'INVITE' }).filter((e) => e.status === 200);
    expect(invites).toHaveLength(4); // the call and three re-INVITEs
  });

  test('blind transfer: Bob transfers Alice to Carol (REFER), Bob drops out, Alice and Carol talk', async () => {
    world = sipWorld();
    const [alice, bob, carol] = await world.registered('1001', '1002', '1003');
    bob!.on('incoming', (call) => void call.answer());
    carol!.on('incoming', (call) => void call.answer());
    const newCallsAtAlice: Call[] = [];
    alice!.on('call', (call) => newCallsAtAlice.push(call));

    const original = alice!.call('1002');
    await world.settle();
    const atBob = bob!.activeCalls()[0]!;

    expect(await atBob.transfer('1003')).toBe(true);
    await world.settle();

    expect(atBob.end).toMatchObject({ cause: 'transferred' });
    expect(original.end).toMatchObject({ cause: 'transferred' });
    const transferred = newCallsAtAlice.find((c) => c.transferredFrom === original.id)!;
    expect(transferred.view()).toMatchObject({ state: 'connected', remote: { user: '1003' } });
    expect(carol!.activeCalls()[0]?.view()).toMatchObject({ state: 'connected', remote: { user: '1001' } });
  });

  test('the echo test number (9999) rings, answers, and hangs up by itself after 30 s', async () => {
    world = sipWorld();
    const [alice] = await world.registered('1001');
    const call = alice!.call('9999');
    await world.settle();
    expect(call.state).toBe('ringing');
    await world.clock.advance(2 * SECOND);
    expect(call.state).toBe('connected');
    expect(await call.hold()).toBe(true);
    await world.clock.advance(30 * SECOND);
    expect(call.end).toMatchObject({ cause: 'remote-hangup', reason: 'SIP;cause=200;text="Echo test finished"' });

    const busy = alice!.call('9998');
    await world.settle();
    expect(busy.end).toMatchObject({ cause: 'busy', statusCode: 486 });
  });
});

describe('Giving up on a call that will not end', () => {
  test('after red, a callee that never answers the CANCEL: a second red ends the call at once on the handset', async () => {
    world = sipWorld();
    const [alice] = await world.registered('1001');
    // Bob is a SIP peer that rings and then ignores everything (as a broken phone would).
    const bob = udpPeerOn(world.server, world.clock, 5102, 'rove-secret-1');
    bob.register('1002', ['<sip:1002@127.0.0.1:5102>']);
    const call = alice!.call('1002');
    await world.settle();
    const invite = bob.sent.find((t) => t.startsWith('INVITE '))!;
    expect(invite).toBeDefined();
    void call.hangup();
    await world.settle();
    expect(bob.sent.some((t) => t.startsWith('CANCEL '))).toBe(true);
    expect(call.state).not.toBe('ended');
    await call.hangup();
    expect(call.state).toBe('ended');
    expect(call.end).toMatchObject({ cause: 'local-hangup' });
  });

  test('after red, a call whose CANCEL is never answered ends by itself after 64×T1 (no handset stuck "Calling…")', async () => {
    world = sipWorld({ profile: { cancelGiveUpMs: 10 * SECOND } });
    const [alice] = await world.registered('1001');
    const bob = udpPeerOn(world.server, world.clock, 5102, 'rove-secret-1');
    bob.register('1002', ['<sip:1002@127.0.0.1:5102>']);
    const call = alice!.call('1002');
    await world.settle();
    void call.hangup();
    await world.settle();
    await world.clock.advance(9 * SECOND);
    expect(call.state).not.toBe('ended');
    await world.clock.advance(2 * SECOND);
    expect(call.state).toBe('ended');
  });
});
