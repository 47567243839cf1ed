/**
 * The helpdesk outputs as files beside the report: `helpdesk.csv` (one line per user: the device, the outcome with
 * the error and its fix, the minutes without service and when) and `site-outages.csv` (per site, the windows when
 * some of its users have no service). Opened in a spreadsheet by people who answer the phone, so the columns are
 * words, times are the clock's with the offset — the same ISO form in both files (`2026-11-02T10:40:00+01:00`, `Z` at
 * UTC), so a stretch in one can be found in the other and read without knowing the zone — and a cell that a
 * spreadsheet would run as a formula is quoted.
 */
import type { Helpdesk } from './helpdesk.ts';

export function helpdeskUsersCsv(h: Helpdesk): string {
  const rows = h.users.map((u) => [
    u.upn,
    u.displayName ?? '',
    u.handset,
    u.ipei,
    u.base,
    u.site ?? '',
    u.outcome,
    u.error ?? '',
    u.rootCause ?? '',
    u.fix ?? '',
    u.minutesWithoutService,
    u.workingMinutesWithoutService,
    u.outages.map((o) => `${o.from}–${o.to} ${o.cause}`).join('; '),
  ]);
  return csv(['User', 'Display name', 'Handset', 'IPEI', 'Base', 'Site', 'Outcome', 'Error', 'Root cause', 'Fix', 'Minutes without service', 'Of those in working hours', `Without service (${h.timeZone})`], rows);
}

export function siteOutagesCsv(h: Helpdesk): string {
  const rows = h.sites.map((s) => [s.site, s.from, s.to, s.minutes, s.workingMinutes, s.users, s.peakUsers, s.causes.join('; ')]);
  return csv(['Site', 'From', 'To', 'Minutes', 'Of those in working hours', 'Users without service', 'Most at once', 'Causes'], rows);
}

function csv(header: string[], rows: Array<Array<string | number>>): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(v: string | number): string {
  let s = String(v);
  if (/^[=@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
