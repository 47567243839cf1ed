/**
 * The helpdesk part of report.html (helpdesk.ts computes it): how many users lose service in working hours, each
 * site's outage windows in clock time, and per user when their phone is down and why — the list the helpdesk reads
 * out ("your phone is down from 10:40 to 10:42"). The full per-user list is helpdesk.csv.
 */
import { html, join, type SafeHtml } from '../kernel/html.ts';
import { clockSpan, type Helpdesk } from './helpdesk.ts';

const SHOWN_USERS = 200;
const SHOWN_WINDOWS = 100;

export function helpdeskSection(h: Helpdesk | undefined): SafeHtml {
  if (!h || h.users.length === 0) return html``;
  const w = h.workingHours;
  const s = h.workingHoursSummary;
  const summary = html`<p><b>${s.users} of ${s.ofUsers}</b> users lose service during working hours (${w.days.join(', ')} ${w.from}–${w.to}, ${h.timeZone}): ${s.userMinutes} user-minutes. Files: helpdesk.csv (per user), site-outages.csv (per site).</p>`;
  const sites = h.sites
    .slice(0, SHOWN_WINDOWS)
    .map((x) => html`<tr><td>${x.site}</td><td>${clockSpan(x.from, x.to)}</td><td class="num">${x.minutes}</td><td class="num">${x.workingMinutes}</td><td class="num">${x.users}</td><td class="num">${x.peakUsers}</td><td>${x.causes.join('; ')}</td></tr>`);
  const siteTable = html`<table class="site-outages"><tr><th>Site</th><th>When (${h.timeZone})</th><th>Minutes</th><th>In working hours</th><th>Users</th><th>Most at once</th><th>Causes</th></tr>${sites}</table>${h.sites.length > SHOWN_WINDOWS && html`<p class="note">The first ${SHOWN_WINDOWS} of ${h.sites.length} windows; all in site-outages.csv.</p>`}`;
  const users = h.users
    .slice(0, SHOWN_USERS)
    .map(
      (u) =>
        html`<tr><td>${u.upn}${u.displayName && html`<br><span class="note">${u.displayName}</span>`}</td><td>${u.handset}</td><td>${u.site}</td><td>${u.outcome}${u.error && html`: ${u.error}`}${u.rootCause && html`<br><small>root cause: ${u.rootCause}</small>`}</td><td>${u.fix}</td><td class="num">${u.minutesWithoutService}</td><td>${join(u.outages.map((o) => html`${clockSpan(o.from, o.to)} ${o.cause}`), '<br>')}</td></tr>`,
    );
  const userTable = html`<details${h.users.length <= 30 && html` open`}><summary>Each user: ${h.users.length}${h.users.length > SHOWN_USERS ? ` (the first ${SHOWN_USERS}; all in helpdesk.csv)` : ''}</summary><table class="helpdesk-users"><tr><th>User</th><th>Handset</th><th>Site</th><th>Outcome</th><th>Fix</th><th>Minutes without service</th><th>When (${h.timeZone})</th></tr>${users}</table></details>`;
  return html`<h2>Helpdesk</h2>${summary}<h3>Outage windows per site</h3>${h.sites.length ? siteTable : html`<p>No user lost service.</p>`}<h3>Per user</h3>${userTable}`;
}
