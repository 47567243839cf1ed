/**
 * A pairing code issued by the admin center (Sign in a user) reaches the device as a NOTIFY from its gateway, and so
 * does its expiry: the handset shows the code as if its Sign in soft key had been pressed.
 *
 * ```text
 *   admin center Sign in a user ─▶ NOTIFY  Event: x-teams-pairing   body: code=<code>\r\nurl=<device login URL>
 *   the code expires            ─▶ NOTIFY  Event: x-teams-pairing;expired=true
 * ```
 *
 * [inferred] The event package and its body are the simulator's (docs/fidelity.md, "Pairing code on the handset"):
 * the real gateway's way of putting the code on a SIP phone's screen is not documented.
 */
import type { SipServer } from '../../../sip/server/sip-server.ts';
import { notifyDevice } from './device-notify.ts';

export const PAIRING_EVENT = 'x-teams-pairing';
export const PAIRING_EXPIRED_EVENT = 'x-teams-pairing;expired=true';
export const PAIRING_CONTENT_TYPE = 'text/plain';

export function sendPairingCode(server: SipServer, user: string, code: string, url: string): number {
  return notifyDevice(server, user, { event: PAIRING_EVENT, body: { contentType: PAIRING_CONTENT_TYPE, text: `code=${code}\r\nurl=${url}\r\n` } });
}

export function sendPairingExpired(server: SipServer, user: string): number {
  return notifyDevice(server, user, { event: PAIRING_EXPIRED_EVENT });
}
