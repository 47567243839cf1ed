import { afterEach, describe, expect, test } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { lineProfile } from '../../src/sip/line/line-profile.ts';
import { lineStateOf, registrationMachine } from '../../src/sip/line/registration-machine.ts';

let clock: VirtualClock;
afterEach(() => clock?.dispose());

describe('One registration machine serves every line', () => {
  test("each actor sends its own line's REGISTER, on start, on refresh and on retry, on its own timers", async () => {
    clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
    const profile = lineProfile({ retryBaseMs: 10_000, retryJitter: 0 });
    const sent: string[] = [];
    const actorFor = (name: string) =>
      createActor(registrationMachine, {
        clock,
        input: { profile, now: () => clock.now(), seed: 1, sendRegister: () => sent.push(name) },
      }).start();
    const a = actorFor('a');
    const b = actorFor('b');

    a.send({ type: 'START' });
    expect(sent).toEqual(['a']);
    b.send({ type: 'START' });
    expect(sent).toEqual(['a', 'b']);

    a.send({ type: 'REGISTERED', expires: 100 });
    b.send({ type: 'FAILED', error: { statusCode: 403, reason: '403 Forbidden' }, retryAfterS: null });
    expect([a, b].map((x) => lineStateOf(String(x.getSnapshot().value)))).toEqual(['OK', 'Error']);

    // b retries after 10 s; a refreshes at 90 % of 100 s.
    await clock.advance(10_000);
    expect(sent).toEqual(['a', 'b', 'b']);
    await clock.advance(80_000);
    expect(sent).toEqual(['a', 'b', 'b', 'a']);

    a.send({ type: 'STOP' });
    b.send({ type: 'STOP' });
    await clock.advance(3_600_000);
    expect(sent).toHaveLength(4);
    a.stop();
    b.stop();
  });
});
