/**
 * Handset subscriptions in the base's flash: who may register, in which slot, and the records the base keeps about
 * each handset (firmware, over-the-air update). Pure functions over the flash, used by the base machine's guards and
 * actions and by `BaseStation` to tell the handset why it was refused.
 *
 * Registration as the guide does it (seed 000): the admin picks a free slot in Specific Handsets and clicks Register,
 * which opens the base for 5 minutes [RTX]; the handset then registers with the access code (default 0000).
 */
import type { BaseFlash, HandsetFirmwareTransfer, HandsetModel, HandsetSubscription } from './base-flash.ts';

/** What a handset sends when it asks for access rights. */
export interface SubscriptionRequest {
  /** 10 hex digits, upper case. */
  ipei: string;
  model: HandsetModel;
  /** Running firmware, dotted. */
  firmware: string;
  /** The access code the user typed. */
  accessCode: string;
}

/**
 * Why a base refuses a handset:
 * - `window-closed`: the base is not (or no longer) in registration mode;
 * - `wrong-code`: the access code does not match the base's `accessCode`;
 * - `base-full`: every slot holds a handset;
 * - `slot-taken`: the slot the window was opened for was filled by another handset meanwhile.
 */
export type SubscriptionRefusal = 'window-closed' | 'wrong-code' | 'base-full' | 'slot-taken';

export type SubscriptionDecision =
  | { ok: true; slot: number; renewal: boolean }
  | { ok: false; reason: SubscriptionRefusal; message: string };

/** The registration window as the base machine keeps it; `slot` 0 means "the first free slot". */
export interface RegistrationWindow {
  slot: number;
  until: number;
}

export function firstFreeSlot(flash: BaseFlash, slots: number): number | undefined {
  const used = new Set(flash.handsets.map((h) => h.slot));
  for (let slot = 1; slot <= slots; slot++) if (!used.has(slot)) return slot;
  return undefined;
}

export function subscriptionOf(flash: BaseFlash, ipei: string): HandsetSubscription | undefined {
  return flash.handsets.find((h) => h.ipei === ipei);
}

/** Decides a registration attempt from the flash and the window alone (no side effects). */
export function decideSubscription(
  flash: BaseFlash,
  window: RegistrationWindow | null,
  request: SubscriptionRequest,
  slots: number,
): SubscriptionDecision {
  if (!window) return { ok: false, reason: 'window-closed', message: 'The base is not in registration mode' };
  if (request.accessCode !== flash.settings.accessCode) {
    return { ok: false, reason: 'wrong-code', message: 'Wrong access code' };
  }
  const existing = subscriptionOf(flash, request.ipei);
  if (existing) return { ok: true, slot: existing.slot, renewal: true };
  if (window.slot === 0) {
    const free = firstFreeSlot(flash, slots);
    return free === undefined
      ? { ok: false, reason: 'base-full', message: `All ${slots} handset slots are in use` }
      : { ok: true, slot: free, renewal: false };
  }
  if (flash.handsets.length >= slots) {
    return { ok: false, reason: 'base-full', message: `All ${slots} handset slots are in use` };
  }
  if (flash.handsets.some((h) => h.slot === window.slot)) {
    return { ok: false, reason: 'slot-taken', message: `Slot ${window.slot} is already in use` };
  }
  return { ok: true, slot: window.slot, renewal: false };
}

/** The flash with the handset subscribed in `slot` (a renewal keeps the record and updates model/firmware). */
export function withSubscription(flash: BaseFlash, request: SubscriptionRequest, slot: number): BaseFlash {
  const record: HandsetSubscription = { slot, ipei: request.ipei, model: request.model, firmware: request.firmware };
  const others = flash.handsets.filter((h) => h.ipei !== request.ipei);
  return { ...flash, handsets: [...others, record].sort((a, b) => a.slot - b.slot) };
}

/**
 * The flash without `ipei`'s subscription, and without the provisioning file applied for it: the file belongs to the
 * subscription, so a handset registered again is a new handset whose first file gives it its line (no reboot, as
 * firmware profile `rebootOnFirstHandsetFile` says).
 */
export function withoutSubscription(flash: BaseFlash, ipei: string): BaseFlash {
  if (!subscriptionOf(flash, ipei)) return flash;
  const { [ipei]: _dropped, ...applied } = flash.provisioning.applied;
  return {
    ...flash,
    handsets: flash.handsets.filter((h) => h.ipei !== ipei),
    provisioning: _dropped === undefined ? flash.provisioning : { ...flash.provisioning, applied },
  };
}

/** What a subscribed handset reports to the base (location registration, over-the-air progress). */
export interface HandsetReport {
  ipei: string;
  firmware?: string;
  firmwareUpdate?: HandsetFirmwareTransfer | null;
}

export function withHandsetReport(flash: BaseFlash, report: HandsetReport): BaseFlash {
  const current = subscriptionOf(flash, report.ipei);
  if (!current) return flash;
  // Unchanged, as the whole record's JSON would say, without building and serialising it (every over-the-air step of
  // every handset reports, and the base asks twice: before sending and in the machine).
  const sameFirmware = report.firmware === undefined || report.firmware === current.firmware;
  const sameUpdate = report.firmwareUpdate
    ? current.firmwareUpdate !== undefined && JSON.stringify(report.firmwareUpdate) === JSON.stringify(current.firmwareUpdate)
    : report.firmwareUpdate === undefined || current.firmwareUpdate === undefined;
  if (sameFirmware && sameUpdate) return flash;
  const next: HandsetSubscription = { ...current };
  if (report.firmware !== undefined) next.firmware = report.firmware;
  if (report.firmwareUpdate) next.firmwareUpdate = report.firmwareUpdate;
  else if (report.firmwareUpdate === null) delete next.firmwareUpdate;
  if (JSON.stringify(next) === JSON.stringify(current)) return flash;
  return { ...flash, handsets: flash.handsets.map((h) => (h === current ? next : h)) };
}

/** Over-the-air transfers stop when the base goes down; the records forget them (same flash if there were none). */
export function withoutTransfers(flash: BaseFlash): BaseFlash {
  if (!flash.handsets.some((h) => h.firmwareUpdate)) return flash;
  return { ...flash, handsets: flash.handsets.map(({ firmwareUpdate: _dropped, ...rest }) => rest) };
}
