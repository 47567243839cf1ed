/**
 * Real time as a {@link Clock}, for SIP that talks to peers outside the lab (a real Kamailio over WebSocket, SIPp
 * over UDP/TCP): their registrations expire and their timers run in real seconds whatever the lab clock does, so the
 * lab's lines and the embedded server measure those peers' time with this clock. See docs/sip.md, "Time".
 */
import type { Clock } from '../kernel/virtual-clock.ts';

export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn: () => void, ms: number): number {
    const timer = setTimeout(fn, Math.max(0, Math.min(ms, 2_147_483_647)));
    // Timers of the SIP layer never keep the process alive on their own: sockets and servers do.
    timer.unref();
    return timer[Symbol.toPrimitive]();
  },
  clearTimeout(id: number | undefined): void {
    if (id !== undefined) clearTimeout(id);
  },
};
