import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ServerFrame } from '../../../src/http/console/console-protocol.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

/** Collects frames from a console and waits for the one a test is interested in. */
function frames(ws: WebSocket) {
  const seen: ServerFrame[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    seen.push(JSON.parse(data.toString()) as ServerFrame);
    for (const w of waiters.splice(0)) w();
  });
  return {
    seen,
    async next<T extends ServerFrame['type']>(type: T, where: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const hit = seen.find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && where(f as Extract<ServerFrame, { type: T }>));
        if (hit) {
          seen.splice(seen.indexOf(hit), 1);
          return hit;
        }
        if (Date.now() > deadline) throw new Error(`no ${type} frame; saw ${JSON.stringify(seen.map((f) => f.type))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe('Handset consoles over WebSocket', () => {
  /** Opens a console with its frame collector attached before the first frame can arrive. */
  async function connect(path: string) {
    let f: ReturnType<typeof frames> | undefined;
    const ws = await app.injectWS(path, {}, { onInit: (socket) => (f = frames(socket)) });
    return { ws, f: f! };
  }

  let lab: Lab;
  let app: FastifyInstance;
  let ipei: string;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
    await app.ready();
    await lab.clock.advance(2 * MINUTE);
    ipei = [...lab.handsets.keys()][0]!;
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  it('a console says hello and shows the current screen', async () => {
    const { ws, f } = await connect(`/consoles/${ipei}`);
    const hello = await f.next('hello');
    expect(hello).toEqual({ type: 'hello', protocol: 1, ipei, model: 'Rove 30' });
    const view = await f.next('view');
    expect(view.view.display.join('\n')).toContain('Unregistered');
    ws.terminate();
  });

  it('keys pressed on one console change the screen on every console of that handset', async () => {
    const { ws: a, f: fa } = await connect(`/consoles/${ipei}`);
    const { ws: b, f: fb } = await connect(`/consoles/${ipei}`);
    await fa.next('view');
    await fb.next('view');
    a.send(JSON.stringify({ type: 'keys', keys: '{menu}' }));
    const onB = await fb.next('view', (v) => v.view.screen === 'menu');
    expect(onB.view.display[0]?.trim()).toBe('Menu');
    expect(onB.view.display.join('\n')).toContain('Settings');
    a.terminate();
    b.terminate();
  });

  it('a bad frame gets an error that says what was wrong, and the console keeps working', async () => {
    const { ws, f } = await connect(`/consoles/${ipei}`);
    await f.next('view');
    ws.send('not json');
    expect((await f.next('error')).message).toContain('frame is not JSON');
    ws.send(JSON.stringify({ type: 'keys', keys: '{launch-missiles}' }));
    const unknown = await f.next('error');
    expect(unknown.code).toBe('KEYS_INVALID');
    expect(unknown.message).toContain('unknown key {launch-missiles}');
    ws.send(JSON.stringify({ type: 'dance' }));
    expect((await f.next('error')).message).toContain('unknown frame type "dance"');
    ws.send(JSON.stringify({ type: 'keys', keys: 'x'.repeat(600) }));
    expect((await f.next('error')).message).toContain('longer than 512');
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await f.next('pong')).toEqual({ type: 'pong' });
    ws.send(JSON.stringify({ type: 'keys', keys: '{menu}' }));
    expect((await f.next('view', (v) => v.view.screen === 'menu')).view.screen).toBe('menu');
    ws.terminate();
  });

  it('a frame of 100 KiB gets an error frame, not a closed socket', async () => {
    const { ws, f } = await connect(`/consoles/${ipei}`);
    await f.next('view');
    ws.send(JSON.stringify({ type: 'keys', keys: 'x'.repeat(100 * 1024) }));
    expect((await f.next('error')).message).toContain('frame too large');
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await f.next('pong')).toEqual({ type: 'pong' });
    ws.terminate();
  });

  it('a console that floods frames gets RATE_LIMITED (once), its extra frames are dropped, and it works again after a pause', async () => {
    const { ws, f } = await connect(`/consoles/${ipei}`);
    await f.next('view');
    for (let i = 0; i < 500; i++) ws.send(JSON.stringify({ type: 'ping' }));
    const limited = await f.next('error');
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.message).toContain('30 a second');
    await new Promise((r) => setTimeout(r, 300));
    const pongs = f.seen.filter((x) => x.type === 'pong').length;
    expect(pongs).toBeLessThan(500);
    expect(f.seen.filter((x) => x.type === 'error')).toHaveLength(0); // one notice, not one per dropped frame
    await new Promise((r) => setTimeout(r, 1_100));
    ws.send(JSON.stringify({ type: 'keys', keys: '{menu}' }));
    expect((await f.next('view', (v) => v.view.screen === 'menu')).view.screen).toBe('menu');
    ws.terminate();
  });

  it('an unknown IPEI is refused with a message and close code 4404', async () => {
    const { ws, f } = await connect('/consoles/FFFFFFFFFF');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect((await f.next('error')).code).toBe('HANDSET_NOT_FOUND');
    expect(await closed).toBe(4404);
  });

  it('a technician registers the handset from its console, then sees it search and come back when the base reboots', async () => {
    const base = lab.getBase('0004F2A00001')!;
    const handset = lab.getHandset(ipei)!;
    base.openRegistration(1);
    const { ws, f } = await connect(`/consoles/${ipei}`);
    await f.next('view');

    // Settings → Connectivity → Register, then the base's entry and the access code 0000.
    ws.send(JSON.stringify({ type: 'keys', keys: '{menu}{down}{down}{ok}{down}{ok}{ok}' }));
    await f.next('view', (v) => v.view.screen !== 'idle');
    await lab.clock.advanceUntil(() => handset.view().screen === 'choosing-base', MINUTE);
    ws.send(JSON.stringify({ type: 'keys', keys: '{ok}0000{ok}' }));
    await f.next('view', (v) => v.view.display.join('').includes('0000') || v.view.state !== 'unregistered');
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
    expect((await f.next('view', (v) => v.view.state === 'in-service')).view.baseMac).toBe('0004F2A00001');

    base.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    await lab.clock.advanceUntil(() => handset.state === 'searching', MINUTE);
    expect((await f.next('view', (v) => v.view.state === 'searching')).view.leds.status).toBe('red-blinking');
    await lab.clock.advanceUntil(() => handset.state === 'in-service', 10 * MINUTE);
    await f.next('view', (v) => v.view.state === 'in-service');
    ws.terminate();
  });
});
