/**
 * A base's lines across its reboots, as the SIP server sees them: every boot registers afresh (a new Call-ID, the
 * same Contact; the connection closed at the reboot ends the binding), whatever the line went through before; calls reach the line of the current boot.
 * (The group keeps each line's sip.js user agent across reboots: line-agent.ts. None of that may show here.)
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Call } from '../../src/sip/line/call.ts';
import { LineGroup } from '../../src/sip/line/line-group.ts';
import type { Line } from '../../src/sip/line/line.ts';
import { PASSWORD, SECOND, sipWorld } from './support.ts';

type World = ReturnType<typeof sipWorld>;
let world: World;
afterEach(async () => world?.close());

function baseWithLines(w: World, extensions: string[]): LineGroup {
  const group = new LineGroup({ clock: w.clock, profile: w.profile });
  for (const extension of extensions) {
    group.add({ extension, password: PASSWORD, domain: w.server.domain, connector: { kind: 'memory', server: w.server }, device: { id: '0004F2A00001' } });
  }
  return group;
}

/** Call-IDs of the REGISTERs the server answered 200 for one extension since a time. */
function registerCallIds(w: World, user: string, since = 0): string[] {
  return w.server.timeline
    .entries({ method: 'REGISTER', since })
    .filter((e) => e.direction === 'in' && e.user === user && e.status === 200)
    .map((e) => e.callId!);
}

describe('A base reboots again and again: each boot its lines register as a freshly booted phone does', () => {
  test('three reboots: every boot a new Call-ID, the same Contact, and the line OK from scratch; each reboot ends the binding', async () => {
    world = sipWorld();
    const group = baseWithLines(world, ['1001', '1002']);
    const seen = new Set<string>();
    const contacts = new Set<string>();
    let before: Line[] = [];
    for (let boot = 0; boot < 4; boot++) {
      const since = world.clock.now();
      const lines = group.start();
      await world.clock.advance(2 * SECOND);
      expect(lines.map((l) => l.status())).toEqual([
        expect.objectContaining({ extension: '1001', state: 'OK', failures: 0, attempts: 1 }),
        expect.objectContaining({ extension: '1002', state: 'OK', failures: 0, attempts: 1 }),
      ]);
      // Each boot's lines are new objects; the last boot's stay down.
      for (const old of before) {
        expect(lines).not.toContain(old);
        expect(old.state).toBe('Stopped');
      }
      for (const extension of ['1001', '1002']) {
        const ids = registerCallIds(world, extension, since);
        expect(ids).toHaveLength(1);
        expect(seen.has(ids[0]!)).toBe(false);
        seen.add(ids[0]!);
      }
      for (const r of world.server.registrations()) contacts.add(r.contact);
      before = lines;
      await group.dispose('reboot');
      expect(world.server.registrations()).toEqual([]);
    }
    expect(seen.size).toBe(8);
    // One Contact per line, the same at every boot (`<extension>-<device>@<device>.rove.invalid`).
    expect(contacts.size).toBe(2);
    expect([...contacts].every((c) => /^sip:100[12]-0004f2a00001@0004f2a00001\.rove\.invalid/.test(c))).toBe(true);
  }, 60_000);

  test('a line that kept failing before the reboot starts over after it: no failures carried, no back-off left', async () => {
    world = sipWorld();
    const group = baseWithLines(world, ['1001']);
    world.server.setFault({ mode: 'error', status: 503 });
    const [failing] = group.start();
    await world.clock.advance(5 * 60 * SECOND);
    expect(failing!.status()).toMatchObject({ state: 'Error', statusCode: 503 });
    expect(failing!.status().failures).toBeGreaterThan(1);
    const failed = failing!.status();

    await group.dispose('reboot');
    world.server.setFault(null);
    const [line] = group.start();
    expect(line!.status()).toMatchObject({ state: 'Registering', failures: 0, attempts: 1, reason: null });
    await world.settle();
    expect(line!.status()).toMatchObject({ state: 'OK', failures: 0, attempts: 1 });
    // The line of the boot before still tells what it went through.
    expect(failing!.status()).toEqual({ ...failed, state: 'Stopped', reason: null, statusCode: null, nextAttemptAt: null });
  }, 60_000);

  test('after a reboot a call rings on the new boot\'s line, and the old line hears nothing of it', async () => {
    world = sipWorld();
    const group = baseWithLines(world, ['1001']);
    const [bob] = await world.registered('1002');
    const [first] = group.start();
    await world.settle();
    const atOld: Call[] = [];
    first!.on('incoming', (c) => atOld.push(c));

    await group.dispose('reboot');
    const [second] = group.start();
    await world.settle();
    const atNew: Call[] = [];
    second!.on('incoming', (c) => {
      atNew.push(c);
      void c.answer();
    });
    const call = bob!.call('1001');
    await world.settle();
    expect(call.state).toBe('connected');
    expect(atNew.map((c) => c.state)).toEqual(['connected']);
    expect(atOld).toEqual([]);
    void call.hangup();
    await world.settle();
    expect(atNew[0]!.end).toMatchObject({ cause: 'remote-hangup' });
  }, 60_000);

  test('a line changed on the Extensions page between boots registers with its new password', async () => {
    world = sipWorld();
    world.server.accounts.update('1001', { password: 'changed-secret' });
    const group = baseWithLines(world, ['1001']);
    const [wrong] = group.start();
    await world.settle();
    expect(wrong!.status()).toMatchObject({ state: 'Error', statusCode: 403 });

    await group.dispose('reboot');
    await group.remove('1001');
    group.add({ extension: '1001', password: 'changed-secret', domain: world.server.domain, connector: { kind: 'memory', server: world.server }, device: { id: '0004F2A00001' } });
    const [right] = group.start();
    await world.settle();
    expect(right!.status()).toMatchObject({ state: 'OK', failures: 0 });
  }, 60_000);
});
