import { afterEach, describe, expect, test, vi } from 'vitest';
import { MINUTE, SECOND, sipWorld } from './support.ts';

type World = ReturnType<typeof sipWorld>;
let world: World;
afterEach(async () => {
  vi.useRealTimers();
  await world?.close();
});

const registerAnswers = (w: World, extension: string) =>
  w.server.timeline
    .entries({ method: 'REGISTER' })
    .filter((e) => e.user === extension)
    .map((e) => e.status);

describe('A line registers to the embedded SIP server', () => {
  test('Alice starts line 1001: challenged (401), then registered (200), and the base shows OK', async () => {
    world = sipWorld();
    const line = world.line('1001');
    const states: string[] = [];
    line.on('state', (s) => states.push(s.state));

    line.start();
    await world.settle();

    expect(registerAnswers(world, '1001')).toEqual([401, 200]);
    expect(states).toEqual(['Registering', 'OK']);
    expect(line.status()).toMatchObject({ state: 'OK', reason: null, expires: 3600, identity: '1001@sip.lab.test' });
    expect(world.server.isRegistered('1001')).toBe(true);
    expect(world.server.registrations()[0]).toMatchObject({
      extension: '1001',
      contact: 'sip:1001-0004f2a00001@0004f2a00001.rove.invalid;transport=ws',
      transport: 'MEM',
      userAgent: 'RoveB4 8.0.3.0009 0004F2A00001',
    });
  });

  test('every REGISTER carries the Contact sip.js renders, and sip.js keeps no real-time refresh timer of its own', async () => {
    world = sipWorld({ server: { registration: { maxExpires: 600, defaultExpires: 600 } } });
    const sent: string[] = [];
    const receive = world.server.receive.bind(world.server);
    vi.spyOn(world.server, 'receive').mockImplementation((data, flow) => {
      sent.push(data);
      receive(data, flow);
    });
    const line = world.line('1001');
    const timers = line.registerer as unknown as { registrationTimer?: unknown; registrationExpiredTimer?: unknown };
    line.start();
    await world.settle();
    await world.clock.advance(541 * SECOND); // the refresh
    const registers = sent.filter((m) => m.startsWith('REGISTER '));
    expect(registers).toHaveLength(4);
    const contacts = registers.map((m) => m.split('\r\n').filter((h) => h.startsWith('Contact:')));
    const rendered = `Contact: ${line.userAgent.contact.toString({ anonymous: false, register: true })};expires=3600`;
    expect(rendered).toBe('Contact: <sip:1001-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;expires=3600');
    expect(contacts).toEqual([[rendered], [rendered], [rendered], [rendered]]);
    expect(line.status().state).toBe('OK');
    expect(line.registerer.state).toBe('Registered');
    expect([timers.registrationTimer, timers.registrationExpiredTimer]).toEqual([undefined, undefined]);
  });

  test('the line refreshes before the granted expiry runs out, on the lab clock, and never drops to Error', async () => {
    world = sipWorld({ server: { registration: { maxExpires: 600, defaultExpires: 600 } } });
    const line = world.line('1001');
    const states: string[] = [];
    line.on('state', (s) => states.push(s.state));
    line.start();
    await world.settle();
    expect(line.status().expires).toBe(600); // asked for 3600, the registrar granted 600

    // 90 % of 600 s: the refresh is due at 540 s.
    await world.clock.advance(539 * SECOND);
    expect(registerAnswers(world, '1001')).toEqual([401, 200]);
    await world.clock.advance(2 * SECOND);
    expect(registerAnswers(world, '1001')).toEqual([401, 200, 401, 200]);

    // Two lab hours later the binding is still there, refreshed every 540 s.
    await world.clock.advance(2 * 60 * MINUTE);
    const elapsedS = 541 + 2 * 3600;
    expect(world.server.isRegistered('1001')).toBe(true);
    expect(registerAnswers(world, '1001').filter((s) => s === 200)).toHaveLength(1 + Math.floor(elapsedS / 540));
    expect(states).not.toContain('Error');
    expect(world.server.timeline.entries({ kind: 'binding' }).map((e) => e.detail?.split(':')[0])).toEqual(['added']);
  });

  test('a wrong password shows Error 403 and is retried with a doubling back-off until it is fixed', async () => {
    world = sipWorld({ profile: { retryJitter: 0, retryBaseMs: 30 * SECOND } });
    world.server.accounts.update('1001', { password: 'changed-on-the-server' });
    const line = world.line('1001');
    line.start();
    await world.settle();

    expect(line.status()).toMatchObject({ state: 'Error', statusCode: 403, reason: '403 Forbidden (Wrong password)', failures: 1 });
    const failedAt = world.clock.now();
    expect(line.status().nextAttemptAt).toBe(failedAt + 30 * SECOND);

    // Retries at +30 s, then +60 s, then +120 s.
    await world.clock.advance(30 * SECOND);
    expect(line.status().failures).toBe(2);
    expect(line.status().nextAttemptAt).toBe(world.clock.now() + 60 * SECOND);
    await world.clock.advance(60 * SECOND);
    expect(line.status().failures).toBe(3);
    expect(line.status().nextAttemptAt).toBe(world.clock.now() + 120 * SECOND);
    expect(registerAnswers(world, '1001').filter((s) => s === 403)).toHaveLength(3);

    // The administrator fixes the password: the next retry succeeds.
    world.server.accounts.update('1001', { password: 'rove-secret-1' });
    await world.clock.advance(120 * SECOND);
    expect(line.status()).toMatchObject({ state: 'OK', failures: 0 });
  });

  test('each line waits its own share of the back-off (deterministic jitter), never less than half', async () => {
    world = sipWorld();
    const lines = ['1001', '1002', '1003', '1004'].map((e) => world.line(e, { password: 'wrong' }));
    for (const line of lines) line.start();
    await world.settle();
    const waits = lines.map((l) => l.status().nextAttemptAt! - world.clock.now());
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(15 * SECOND);
      expect(wait).toBeLessThanOrEqual(30 * SECOND);
    }
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  test('an extension the server does not know is challenged, then refused for its credentials (403), not told 404', async () => {
    world = sipWorld();
    const line = world.line('1099');
    line.start();
    await world.settle();
    expect(line.status()).toMatchObject({ state: 'Error', statusCode: 403, reason: '403 Forbidden (Unknown user name 1099)' });
  });

  test('the server goes away: the line shows the lost connection, retries, and registers again when it is back', async () => {
    world = sipWorld({ profile: { retryJitter: 0 } });
    const line = world.line('1001');
    line.start();
    await world.settle();
    expect(line.state).toBe('OK');

    world.server.setReachable(false);
    await world.settle();
    expect(line.status()).toMatchObject({ state: 'Error', statusCode: null });
    expect(line.status().reason).toMatch(/^Connection to the SIP server lost/);
    expect(world.server.isRegistered('1001')).toBe(false);

    await world.clock.advance(30 * SECOND);
    expect(line.status().reason).toMatch(/^Cannot reach the SIP server: SIP server sip.lab.test is unreachable/);

    world.server.setReachable(true);
    await world.clock.advance(60 * SECOND);
    expect(line.state).toBe('OK');
    expect(world.server.isRegistered('1001')).toBe(true);
  });

  test('a registrar under load answers 503 with Retry-After, and the line waits at least that long', async () => {
    world = sipWorld({ server: { maxRegistersPerSecond: 2 } });
    const lines = ['1001', '1002'].map((e) => world.line(e));
    for (const line of lines) line.start();
    await world.settle();
    // Two lines, each REGISTER twice (challenge + credentials): the second line's first REGISTER is the third.
    const second = lines[1]!.status();
    expect(second).toMatchObject({ state: 'Error', statusCode: 503 });
    expect(second.nextAttemptAt! - world.clock.now()).toBeGreaterThanOrEqual(30 * SECOND);
    await world.clock.advance(30 * SECOND);
    expect(lines.map((l) => l.state)).toEqual(['OK', 'OK']);
  });

  test('only lab time drives the registration: an hour of real time changes nothing, an hour of lab time refreshes', async () => {
    // sip.js arms real-time refresh and expiry timers after each REGISTER; the line switches them off.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    world = sipWorld({ server: { registration: { maxExpires: 600, defaultExpires: 600 } } });
    const line = world.line('1001');
    line.start();
    await world.settle();
    const answered = () => registerAnswers(world, '1001').filter((s) => s === 200).length;
    expect(answered()).toBe(1);

    vi.advanceTimersByTime(60 * MINUTE);
    await world.settle();
    expect(answered()).toBe(1);
    expect(line.state).toBe('OK');

    await world.clock.advance(60 * MINUTE);
    expect(answered()).toBe(1 + Math.floor(3600 / 540));
    expect(line.state).toBe('OK');
  });
});
