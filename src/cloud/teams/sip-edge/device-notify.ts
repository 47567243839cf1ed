/**
 * A NOTIFY from a region's Teams SIP server to a device it has a registration for: how the gateway tells a device
 * something without the device asking (check-sync, a pairing code issued in the admin center). Sent out of dialog to
 * every live contact of the device's SIP user, through the flow its REGISTER came on, as a real gateway reaches a
 * registered phone; the line answers 200. No registration, no NOTIFY (a real gateway cannot reach the device either).
 *
 * The request and its answer are on the server's timeline (`direction: 'out'`, method NOTIFY, `detail` the Event).
 */
import { randomUUID } from 'node:crypto';
import { settleEntry } from '../../../sip/server/timeline.ts';
import { newTag } from '../../../sip/server/server-context.ts';
import type { SipServer } from '../../../sip/server/sip-server.ts';

export interface DeviceNotify {
  /** The Event header: `check-sync`, `check-sync;reboot=true`, `x-teams-pairing`. */
  event: string;
  /** A body and its Content-Type (none: an empty NOTIFY). */
  body?: { contentType: string; text: string };
}

/** Sends `notify` to the registered contacts of `user` on `server`; returns how many were sent. */
export function notifyDevice(server: SipServer, user: string, notify: DeviceNotify): number {
  const bindings = server.registrar.lookup(user);
  for (const binding of bindings) {
    const headers = [
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<sip:${server.domain}>;tag=${newTag()}` },
      { name: 'To', value: `<sip:${user}@${server.domain}>` },
      { name: 'Call-ID', value: `${randomUUID()}@${server.domain}` },
      { name: 'CSeq', value: '1 NOTIFY' },
      { name: 'Event', value: notify.event },
      { name: 'Subscription-State', value: 'terminated;reason=noresource' },
    ];
    if (notify.body) headers.push({ name: 'Content-Type', value: notify.body.contentType });
    const entry = server.originate(binding.flow, { startLine: `NOTIFY ${binding.contact} SIP/2.0`, headers, body: notify.body?.text ?? '' }, (response) => {
      if (response.status >= 200) settleEntry(entry, { status: response.status, reason: response.reason, answeredAt: server.clock.now() });
    });
    settleEntry(entry, { detail: `Event: ${notify.event}` });
  }
  return bindings.length;
}
