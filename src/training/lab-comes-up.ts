/**
 * Opening a lab file power-cycles every device that was on, as a restart of the simulator does (docs/architecture.md,
 * "The lab file"). Before a lab is graded or handed to a trainee it is let come up: powered bases running, registered
 * handsets back in service on a powered base, their lines no longer registering, and every running base past its
 * first ITSP provisioning fetch and firmware check after the boot: the base's Home/Status shows a provisioning or
 * firmware error (PRV-…, FWU-…) only once it has tried, and a trainee's lab that kept running had tried — so a copy
 * graded before that would pass a base whose ConfigURL or network is still broken.
 */
import type { Lab } from '../lab/lab.ts';
import { untilOnLabClock } from './check-engine.ts';

/** Lab time a lab may take to come up after its power cycle. */
export const COME_UP_MS = 15 * 60_000;

export function labIsUp(lab: Lab): boolean {
  const firstLook = Math.max(lab.profile.provisioningFirstFetchMs, lab.profile.firmwareFirstCheckMs);
  return (
    [...lab.bases.values()].every((b) => {
      if (!b.flash.powered) return true;
      if (b.state !== 'running') return false;
      const s = b.status();
      return (s.uptimeSeconds ?? 0) * 1000 >= firstLook && s.provisioning.phase !== 'fetching' && s.firmwareUpdate.phase !== 'checking';
    }) &&
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
