/**
 * Times as the base shows them: in its configured time zone (System Management → WAN settings), 24-hour, from the
 * lab clock. Never the host's wall clock or time zone, so a rehearsal at ×100 shows the lab's time.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `2026-11-02 10:00:00 GMT+1`: a lab instant in the base's time zone. */
export function formatTime(at: number, timeZone: string): string {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

/** `3 days 04:05:06`, as embedded device status pages print an uptime. */
export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hms = [Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return days > 0 ? `${days} day${days === 1 ? '' : 's'} ${hms}` : hms;
}
