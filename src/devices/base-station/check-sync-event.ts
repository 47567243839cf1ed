/**
 * What a Rove base does with a NOTIFY its line received from the SIP server [MS: Teams check-sync]:
 *
 * ```text
 *   Event: check-sync              ─▶ FETCH_PROVISIONING (fetch 00<IPEI>.cfg and the other files again)
 *   Event: check-sync;reboot=true  ─▶ REBOOT 'Teams SIP Gateway: check-sync;reboot=true' (waits for calls to end)
 *   any other event                ─▶ nothing for the base (the handset may read it: a pairing code)
 * ```
 */
import type { BaseEvent } from './base-machine.ts';

/** The base machine event a NOTIFY's Event header asks for, or undefined. */
export function baseEventOfNotify(event: string): BaseEvent | undefined {
  const [name = '', ...params] = event.split(';').map((p) => p.trim().toLowerCase());
  if (name !== 'check-sync') return undefined;
  if (params.includes('reboot=true')) return { type: 'REBOOT', reason: 'Teams SIP Gateway: check-sync;reboot=true' };
  return { type: 'FETCH_PROVISIONING' };
}
