/**
 * The classroom's login page slows down password guessing (src/classroom/login-throttle.ts), on a clock the test
 * steps: ten failed logins for one trainee within a minute, or from one source, and the next attempt — even with the
 * right password — gets 429 saying when to try again; once that time has come, the trainee logs in.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClassroomApp } from '../../src/classroom/classroom-app.ts';
import { type ClassroomState, hashSecret, newSession } from '../../src/classroom/classroom-state.ts';
import type { TraineeRoom } from '../../src/classroom/trainee-room.ts';

const PASSWORDS = { trainee01: 'right-one-1', trainee02: 'right-two-2' } as const;
const START = Date.UTC(2026, 11, 3, 9, 0, 0);

function state(): ClassroomState {
  return {
    version: 1,
    exercise: '/x/first-login-and-firmware.yaml',
    seed: 1,
    instructor: { password: hashSecret('teach-the-class-1'), session: newSession() },
    trainees: Object.entries(PASSWORDS).map(([login, password], i) => ({ name: `Trainee 0${i + 1}`, login, seed: 1 + i, password: hashSecret(password), session: newSession() })),
  };
}

describe('The classroom login page under password guessing', () => {
  let app: FastifyInstance;
  let now: number;
  beforeEach(async () => {
    now = START;
    app = await buildClassroomApp({ title: 'First login and firmware update', state: state(), rooms: new Map<string, TraineeRoom>(), now: () => now });
  });
  afterEach(async () => {
    await app.close();
  });

  const attempt = (login: string, password: string, from = '10.0.0.7', json = false) =>
    app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: from,
      payload: json ? { login, password } : `login=${login}&password=${encodeURIComponent(password)}`,
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    });

  it('refuses a trainee for the rest of the minute after ten wrong passwords, saying when to try again, then lets them in', async () => {
    for (let i = 0; i < 10; i++) {
      now = START + i * 1000;
      expect((await attempt('trainee01', `guess-${i}`, `10.0.1.${i}`)).statusCode).toBe(401);
    }
    now = START + 20_000;
    const refused = await attempt('trainee01', PASSWORDS.trainee01, '10.0.2.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('40');
    expect(refused.body).toContain('Too many failed logins for trainee01: try again in 40 s (at 09:01:00 UTC).');
    expect(refused.headers['set-cookie']).toBeUndefined();
    const asJson = await attempt('trainee01', PASSWORDS.trainee01, '10.0.2.1', true);
    expect(asJson.statusCode).toBe(429);
    expect(asJson.json()).toEqual({ statusCode: 429, code: 'CLASSROOM_LOGIN_THROTTLED', error: 'Too Many Requests', message: 'Too many failed logins for trainee01: try again in 40 s (at 09:01:00 UTC).' });

    // Another trainee is not held up by it.
    expect((await attempt('trainee02', PASSWORDS.trainee02, '10.0.2.2')).statusCode).toBe(303);

    // The first failure is a minute old: one more attempt is taken, and the right password lets the trainee in.
    now = START + 60_000;
    const back = await attempt('trainee01', PASSWORDS.trainee01, '10.0.2.1');
    expect(back.statusCode).toBe(303);
    expect(String(back.headers['set-cookie'])).toMatch(/^rove-trainee-trainee01=/);
  });

  it('refuses a source that tries many logins, whatever login it names next', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(`nobody${i}`, 'x', '10.0.0.9')).statusCode).toBe(401);
    const refused = await attempt('trainee02', PASSWORDS.trainee02, '10.0.0.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many failed logins from 10.0.0.9: try again in 60 s (at 09:01:00 UTC).');
    // The login form is shown again with the name typed, so nothing is lost.
    expect(refused.body).toContain('value="trainee02"');
    // From elsewhere the trainee is let in.
    expect((await attempt('trainee02', PASSWORDS.trainee02, '10.0.0.10')).statusCode).toBe(303);
  });

  it('lets nine wrong passwords a minute through, and a success forgets them', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await attempt('trainee01', 'wrong-again', `10.0.3.${round}`)).statusCode).toBe(401);
      expect((await attempt('trainee01', PASSWORDS.trainee01, `10.0.3.${round}`)).statusCode).toBe(303);
    }
  });
});
