/**
 * How fast the lab clock may run while SIP lines are up (see docs/sip.md, "Time").
 *
 * In-lab SIP (in-memory transport) has no real-time timer in a healthy exchange, so a stepped clock is exact at any
 * step. A *running* clock keeps moving while the CPU works, and sip.js's parser costs ~3 ms per message: a REGISTER
 * refresh is ~10–40 ms of CPU, a cold start up to ~0.5 s. Multiplied by the speed, that is lab time the exchange
 * takes. At 60× the worst case is ~30 lab seconds, well inside SIP's shortest lab-time margins (digest nonce 5 min,
 * refresh at least 10 % / 5 s before expiry of a 3600 s binding, seconds of ringing). Much faster, nonces go stale
 * mid-exchange, refreshes can miss their binding, and nobody can answer a call that rings for a millisecond.
 */
export const SIP_MAX_LAB_SPEED = 60;

/** Why SIP would misbehave at this speed, or null when the speed is supported. */
export function sipSpeedWarning(speed: number): string | null {
  if (speed <= SIP_MAX_LAB_SPEED) return null;
  return `SIP lines are modelled correctly up to ${SIP_MAX_LAB_SPEED}× real time; at ${speed}× the CPU time of each SIP exchange becomes lab minutes (registrations may flap, calls ring too briefly to answer)`;
}
