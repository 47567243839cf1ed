/**
 * Opening a lab file power-cycles every device that was on, as a restart of the simulator does (docs/architecture.md,
 * "The lab file"). Before a lab is graded or handed to a trainee it is let come up: powered bases running, registered
 * handsets back in service on a powered base, their lines no longer registering.
 */
import type { Lab } from '../lab/lab.ts';
import { untilOnLabClock } from './check-engine.ts';

/** Lab time a lab may take to come up after its power cycle. */
export const COME_UP_MS = 15 * 60_000;

export function labIsUp(lab: Lab): boolean {
  return (
    [...lab.bases.values()].every((b) => !b.flash.powered || b.state === 'running') &&
    [...lab.handsets.values()].every((h) => {
      const v = h.view();
      if (!h.record.powered || v.baseMac === null || lab.getBase(v.baseMac)?.flash.powered === false) return true;
      return v.state === 'in-service' && v.line?.state !== 'Registering';
    })
  );
}

/** Waits (lab time) until {@link labIsUp}; false if it did not within {@link COME_UP_MS}. */
export function labComesUp(lab: Lab): Promise<boolean> {
  return untilOnLabClock(lab.clock, () => labIsUp(lab), COME_UP_MS);
}
