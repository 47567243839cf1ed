/**
 * Registration of one line (RFC 3261 §10.2) as the base firmware drives it, on the line's clock.
 *
 * ```text
 *            START                 REGISTERED                      registerRefresh
 *   ┌──────┐ ─────▶ ┌─────────────┐ ─────────▶ ┌────────────┐ ──────────────────▶ ┌────────────┐
 *   │ idle │        │ registering │            │ registered │ ◀────REGISTERED──── │ refreshing │
 *   └──────┘        └─────────────┘            └────────────┘                     └────────────┘
 *                     │ FAILED ▲                   │ CONNECTION_LOST                │ FAILED / CONNECTION_LOST
 *                     ▼        │ registerRetry     ▼                                │ registrationExpiry
 *                   ┌────────┐ │                 ┌────────┐ ◀───────────────────────┘
 *                   │ failed │─┘  ◀───────────── │ failed │
 *                   └────────┘                   └────────┘
 *   STOP from any state ─▶ stopped        stopped ─BOOT─▶ idle (the base is up again: counters and binding cleared)
 * ```
 *
 * - Shown as `Registering` (registering), `OK` (registered, refreshing), `Error` with the reason (failed).
 * - The three durations are named delays: `registerRefresh` (share of the granted expiry, counted from when the
 *   REGISTER was sent), `registerRetry`
 *   (exponential back-off with per-line jitter, at least the server's Retry-After) and `registrationExpiry` (a refresh
 *   that gets no answer before the binding runs out). Their values come from the line profile.
 * - Sending the REGISTER is the `sendRegister` action, which calls the line back through the function the line put in
 *   the actor's input: sip.js's Registerer does the SIP, including the digest challenge; its own refresh timers are
 *   switched off (they run on real time). Every line runs this one machine: a machine made per line with
 *   `provide()` cost more to build than the line's whole registration.
 * - `stopped` is not final: the actor of a configured line is kept across its base's reboots (line-agent.ts), and
 *   `BOOT` takes it back to `idle` with nothing left of the boot before, as a fresh actor would start.
 */
import { assign, setup } from 'xstate';
import { type LineProfile, refreshDelayMs, retryDelayMs } from './line-profile.ts';

export type LineState = 'Idle' | 'Registering' | 'OK' | 'Error' | 'Stopped';

export interface RegistrationError {
  /** SIP status (e.g. 403), or null when no response came (transport down, timeout). */
  statusCode: number | null;
  /** What the base's status page shows, e.g. `403 Forbidden (Wrong password)`. */
  reason: string;
}

export interface RegistrationContext {
  profile: Readonly<LineProfile>;
  now: () => number;
  seed: number;
  /** The line's REGISTER (see {@link RegistrationInput.sendRegister}). */
  sendRegister: () => void;
  /** Failures in a row (reset by a success). */
  failures: number;
  /** Granted expiry of the current binding (s). */
  expires: number | null;
  /** When the current binding runs out (line clock). */
  expiresAt: number | null;
  registeredAt: number | null;
  error: RegistrationError | null;
  retryAfterS: number | null;
  /** When the next REGISTER is due (refresh or retry), line clock. */
  nextAttemptAt: number | null;
  /** REGISTER transactions started (each may include a digest challenge). */
  attempts: number;
  /**
   * When the latest REGISTER was sent (line clock). The binding's lifetime is counted from here, not from the answer:
   * the registrar started it somewhere in between, and on a fast lab clock the exchange itself takes lab time.
   */
  sentAt: number | null;
}

export type RegistrationEvent =
  | { type: 'START' }
  | { type: 'REGISTERED'; expires: number }
  | { type: 'FAILED'; error: RegistrationError; retryAfterS: number | null }
  | { type: 'CONNECTION_LOST'; reason: string }
  | { type: 'STOP' }
  /** The base is up again after a reboot or power cut: the line on it starts from scratch (line-agent.ts). */
  | { type: 'BOOT' };

export interface RegistrationInput {
  profile: Readonly<LineProfile>;
  now: () => number;
  seed: number;
  /** Sends a REGISTER; the line answers later with REGISTERED or FAILED. Called on entry to registering and refreshing. */
  sendRegister: () => void;
}

/** What a line knows of its registration when its base has just booted: nothing yet. */
const FRESH_BOOT = {
  failures: 0,
  expires: null,
  expiresAt: null,
  registeredAt: null,
  error: null,
  retryAfterS: null,
  nextAttemptAt: null,
  attempts: 0,
  sentAt: null,
} as const satisfies Partial<RegistrationContext>;

export const registrationMachine = setup({
  types: {
    context: {} as RegistrationContext,
    events: {} as RegistrationEvent,
    input: {} as RegistrationInput,
  },
  delays: {
    registerRefresh: ({ context }) => Math.max(0, (context.nextAttemptAt ?? context.now()) - context.now()),
    registerRetry: ({ context }) => retryDelayMs(context.profile, context.failures, context.seed, context.retryAfterS),
    registrationExpiry: ({ context }) => Math.max(0, (context.expiresAt ?? context.now()) - context.now()),
  },
  actions: {
    /** The line's own function from the input: sends REGISTER and answers with REGISTERED or FAILED. */
    sendRegister: ({ context }) => context.sendRegister(),
    countAttempt: assign(({ context }) => ({ attempts: context.attempts + 1, nextAttemptAt: null, sentAt: context.now() })),
    recordSuccess: assign(({ context, event }) => {
      if (event.type !== 'REGISTERED') return {};
      const sentAt = context.sentAt ?? context.now();
      return {
        failures: 0,
        error: null,
        retryAfterS: null,
        expires: event.expires,
        expiresAt: sentAt + event.expires * 1000,
        registeredAt: context.now(),
        nextAttemptAt: sentAt + refreshDelayMs(context.profile, event.expires),
      };
    }),
    recordFailure: assign(({ context, event }) => {
      const error: RegistrationError =
        event.type === 'FAILED'
          ? event.error
          : event.type === 'CONNECTION_LOST'
            ? { statusCode: null, reason: event.reason }
            : { statusCode: null, reason: 'Registration expired without a refresh' };
      const failures = context.failures + 1;
      const retryAfterS = event.type === 'FAILED' ? event.retryAfterS : null;
      return {
        failures,
        error,
        retryAfterS,
        expires: null,
        expiresAt: null,
        nextAttemptAt: context.now() + retryDelayMs(context.profile, failures, context.seed, retryAfterS),
      };
    }),
    clearSchedule: assign({ nextAttemptAt: null }),
    forgetLastBoot: assign(() => ({ ...FRESH_BOOT })),
  },
}).createMachine({
  id: 'registration',
  context: ({ input }) => ({
    profile: input.profile,
    now: input.now,
    seed: input.seed,
    sendRegister: input.sendRegister,
    ...FRESH_BOOT,
  }),
  initial: 'idle',
  on: { STOP: '.stopped' },
  states: {
    idle: {
      on: { START: 'registering' },
    },
    registering: {
      entry: ['countAttempt', 'sendRegister'],
      on: {
        REGISTERED: { target: 'registered', actions: 'recordSuccess' },
        FAILED: { target: 'failed', actions: 'recordFailure' },
        CONNECTION_LOST: { target: 'failed', actions: 'recordFailure' },
      },
    },
    registered: {
      after: { registerRefresh: 'refreshing' },
      on: {
        CONNECTION_LOST: { target: 'failed', actions: 'recordFailure' },
      },
    },
    refreshing: {
      entry: ['countAttempt', 'sendRegister'],
      after: { registrationExpiry: { target: 'failed', actions: 'recordFailure' } },
      on: {
        REGISTERED: { target: 'registered', actions: 'recordSuccess' },
        FAILED: { target: 'failed', actions: 'recordFailure' },
        CONNECTION_LOST: { target: 'failed', actions: 'recordFailure' },
      },
    },
    failed: {
      after: { registerRetry: 'registering' },
    },
    stopped: {
      entry: 'clearSchedule',
      on: { BOOT: { target: 'idle', actions: 'forgetLastBoot' } },
    },
  },
});

export type RegistrationMachine = typeof registrationMachine;

/** What the base's status page calls each state. */
export function lineStateOf(value: string): LineState {
  switch (value) {
    case 'idle':
      return 'Idle';
    case 'registering':
      return 'Registering';
    case 'registered':
    case 'refreshing':
      return 'OK';
    case 'failed':
      return 'Error';
    default:
      return 'Stopped';
  }
}
