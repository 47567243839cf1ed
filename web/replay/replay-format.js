// Text of lab times and events in the replay viewer: the same words as `rove-sim replay` in a terminal
// (src/scenarios/duration.ts formatDuration, src/scenarios/event-log.ts formatEvent; a test keeps them equal).
// Plain browser JavaScript, also imported by the tests (types in replay-format.d.ts).

/** `1h2m3s`; under a second: `250ms`. */
export function formatDuration(ms) {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1_000);
  const parts = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]]) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

/** Lab time since the start as the viewer's clock and the event list show it: `+1h2m3s`, `+0s`. */
export function formatLabTime(ms) {
  return ms < 1_000 ? '+0s' : `+${formatDuration(ms)}`;
}

/** One event as a line of text: `+1h2m3s     b001       base rebooting (Firmware update …)`. */
export function formatEvent(e) {
  const time = `+${formatDuration(e.t) || '0s'}`.padEnd(12);
  const what = [e.kind, e.state, e.ok === undefined ? undefined : e.ok ? 'ok' : 'failed'].filter(Boolean).join(' ');
  const extra = [e.reason, e.detail].filter(Boolean).join(' — ');
  return `${time}${e.device.padEnd(10)} ${what}${extra ? ` (${extra})` : ''}`;
}
