/**
 * check-sync [MS]: the gateway asks a device to fetch its provisioning file again (sign-in, sign-out, policy sync) or
 * to fetch it and restart (admin center Restart), by a SIP NOTIFY to the device's registered contact.
 *
 * ```text
 *   gateway change with checkSync ─▶ NOTIFY sip:<contact>  Event: check-sync            ─▶ 200 (the line)
 *                         + reboot ─▶ NOTIFY sip:<contact>  Event: check-sync;reboot=true ─▶ 200
 *   the base of the line:  check-sync ─▶ FETCH_PROVISIONING     check-sync;reboot=true ─▶ REBOOT
 * ```
 *
 * The device side: the line surfaces the NOTIFY, the base acts on it (src/devices/base-station/check-sync-event.ts).
 */
import type { SipServer } from '../../../sip/server/sip-server.ts';
import { notifyDevice } from './device-notify.ts';

export const CHECK_SYNC_EVENT = 'check-sync';
export const CHECK_SYNC_REBOOT_EVENT = 'check-sync;reboot=true';

/** NOTIFY check-sync to the device registered as `user`; returns how many contacts it went to. */
export function sendCheckSync(server: SipServer, user: string, reboot: boolean): number {
  return notifyDevice(server, user, { event: reboot ? CHECK_SYNC_REBOOT_EVENT : CHECK_SYNC_EVENT });
}
