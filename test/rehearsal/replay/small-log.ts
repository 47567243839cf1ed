/**
 * A small event log with known answers: two bases (b1 with two handsets, b2 with one), a power cut of b2 through a
 * fault, a sign-in that reboots b1, a refused enrollment and a failed bulk sign-in row, a provisioning error and a
 * failed expectation.
 */
import type { EventLogHeader } from '../../../src/rehearsal/event-log.ts';
import type { LabEvent } from '../../../src/rehearsal/recorder.ts';

const S = 1_000;
const M = 60_000;

export const SMALL_HEADER: EventLogHeader = {
  type: 'rove-sim-events',
  version: 1,
  scenario: 'Known replay',
  seed: 7,
  profile: 'rove-8.0',
  variant: null,
  start: '2026-11-02T09:00:00.000Z',
};

export const SMALL_EVENTS: LabEvent[] = [
  { t: 0, kind: 'base', device: 'b1', state: 'booting', reason: 'Power on' },
  { t: 0, kind: 'base', device: 'b2', state: 'booting', reason: 'Power on' },
  { t: 0, kind: 'handset', device: 'b1/1', state: 'starting' },
  { t: 0, kind: 'handset', device: 'b1/2', state: 'starting' },
  { t: 0, kind: 'handset', device: 'b2/1', state: 'starting' },
  { t: 0, kind: 'step', device: 'lab', state: 'start', detail: 'The bases boot' },
  { t: 90 * S, kind: 'base', device: 'b1', state: 'running' },
  { t: 90 * S, kind: 'base', device: 'b2', state: 'running' },
  { t: 93 * S, kind: 'handset', device: 'b1/1', state: 'in-service' },
  { t: 93 * S, kind: 'handset', device: 'b1/2', state: 'in-service' },
  { t: 93 * S, kind: 'handset', device: 'b2/1', state: 'in-service' },
  { t: 10 * M, kind: 'fault', device: 'lab', state: 'injected', reason: 'base-power-loss', detail: 'cut: power cut of b2' },
  { t: 10 * M, kind: 'base', device: 'b2', state: 'off', reason: 'Power off' },
  { t: 10 * M, kind: 'handset', device: 'b2/1', state: 'searching' },
  { t: 12 * M, kind: 'teams', device: 'b1/1', state: 'provisioned', detail: 'Waiting on activation' },
  { t: 12 * M, kind: 'teams', device: 'b1/1', state: 'enrolled', detail: 'Waiting for sign in' },
  { t: 12 * M, kind: 'enroll', device: 'b1/1', ok: true },
  { t: 12 * M, kind: 'enroll', device: 'b1/2', ok: false, reason: 'The verification code has expired.' },
  { t: 13 * M, kind: 'teams', device: 'b1/1', state: 'signed-in', detail: 'SIP devices' },
  { t: 13 * M, kind: 'sign-in', device: 'b1/1', ok: true, detail: 'adele.vance@contoso.com' },
  { t: 13 * M, kind: 'base', device: 'b1', state: 'rebooting', reason: 'ITSP provisioning: new configuration' },
  { t: 13 * M, kind: 'handset', device: 'b1/1', state: 'searching' },
  { t: 13 * M, kind: 'handset', device: 'b1/2', state: 'searching' },
  { t: 13 * M + 5 * S, kind: 'base', device: 'b1', state: 'booting' },
  { t: 14 * M, kind: 'bulk', device: 'b1/2', ok: false, detail: 'user0002@contoso.com', reason: 'User missing phone number assignment.' },
  { t: 14 * M + 35 * S, kind: 'base', device: 'b1', state: 'running' },
  { t: 14 * M + 38 * S, kind: 'handset', device: 'b1/1', state: 'in-service' },
  { t: 14 * M + 38 * S, kind: 'handset', device: 'b1/2', state: 'in-service' },
  { t: 15 * M, kind: 'fault', device: 'lab', state: 'cleared', reason: 'base-power-loss', detail: 'cut: power cut of b2' },
  { t: 15 * M, kind: 'base', device: 'b2', state: 'booting', reason: 'Power on' },
  { t: 16 * M, kind: 'base-error', device: 'b2', state: 'PRV-02', detail: 'no route to host' },
  { t: 16 * M + 30 * S, kind: 'base', device: 'b2', state: 'running' },
  { t: 16 * M + 33 * S, kind: 'handset', device: 'b2/1', state: 'in-service' },
  { t: 17 * M, kind: 'failure', device: 'lab', detail: 'base b2 reboots 0 — 1' },
  { t: 20 * M, kind: 'base', device: 'b1', state: 'rebooting', reason: 'ITSP provisioning: applying new provisioning settings (reboot 1 of 3)' },
  { t: 20 * M + 5 * S, kind: 'base', device: 'b1', state: 'booting' },
];

/** The log as `writeEventLog` writes it. */
export const SMALL_LOG = `${[SMALL_HEADER, ...SMALL_EVENTS].map((l) => JSON.stringify(l)).join('\n')}\n`;
