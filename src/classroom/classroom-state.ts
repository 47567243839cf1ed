/**
 * What a classroom directory remembers between runs (DIR/classroom.json): the exercise, the seed, the instructor's
 * password and every trainee's login, password and session secret — passwords as scrypt hashes, never as text. Each
 * trainee's lab and progress live in their own lab file (DIR/<login>.db), so killing the classroom and starting it
 * again with the same DIR continues every trainee where they were, still logged in.
 *
 * Written whole to a temporary file and renamed over the old one: a kill never leaves half a file.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface StoredSecret {
  salt: string;
  hash: string;
}

export interface StoredTrainee {
  name: string;
  login: string;
  /** The seed the trainee's variables are drawn from (the classroom's seed + their place in the roster). */
  seed: number;
  password: StoredSecret;
  /** The value of the trainee's cookie (`rove-trainee-<login>`): it opens their lab's ports and nobody else's. */
  session: string;
}

export interface ClassroomState {
  version: 1;
  /** The exercise file, as an absolute path. */
  exercise: string;
  seed: number;
  instructor: { password: StoredSecret; session: string };
  trainees: StoredTrainee[];
}

export const STATE_FILE = 'classroom.json';

export function hashSecret(secret: string): StoredSecret {
  const salt = randomBytes(16).toString('hex');
  return { salt, hash: scryptSync(secret, salt, 32).toString('hex') };
}

export function secretMatches(secret: string, stored: StoredSecret): boolean {
  const given = scryptSync(secret, stored.salt, 32);
  const expected = Buffer.from(stored.hash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A session value: 32 random bytes as hex. */
export function newSession(): string {
  return randomBytes(32).toString('hex');
}

/** Compares two session values in constant time. */
export function sameSession(given: string | undefined, expected: string): boolean {
  if (given === undefined || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export function readClassroomState(dir: string): ClassroomState | undefined {
  const file = path.join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ClassroomState;
  if (state?.version !== 1 || !Array.isArray(state.trainees)) throw new Error(`${file} is not a classroom file this rove-sim reads`);
  return state;
}

export function writeClassroomState(dir: string, state: ClassroomState): void {
  const file = path.join(dir, STATE_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
