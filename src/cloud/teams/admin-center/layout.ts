/**
 * The Teams admin center page frame: top bar, left navigation (Users; Teams devices → Phones, SIP devices; Voice →
 * Calling policies; Locations → Network topology), breadcrumb and content. Server-rendered HTML, relative links only.
 */
import { html, join, type SafeHtml } from '../../../kernel/html.ts';

export type NavKey = 'users' | 'phones' | 'sip' | 'bulk' | 'calling-policies' | 'network';

export interface PageOptions {
  title: string;
  active: NavKey;
  organizationName: string;
  /** Whether the SIP devices tab shows (the service is enabled for the tenant). */
  sipTab: boolean;
  crumbs?: string[];
  body: SafeHtml;
  /** Overlay (a right-hand pane) drawn above the page. */
  pane?: SafeHtml;
}

const ICONS = {
  home: html`<path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>`,
  users: html`<circle cx="9" cy="8" r="3.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M2.5 20c.8-3.8 3.4-5.5 6.5-5.5s5.7 1.7 6.5 5.5M16 4.8a3.3 3.3 0 0 1 0 6.4M18 14.7c2 .7 3.2 2.4 3.6 5.3" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>`,
  devices: html`<rect x="6" y="2.5" width="12" height="19" rx="2" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M10 18.5h4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>`,
  voice: html`<path d="M7.5 3.5 10 8l-2 1.8a11 11 0 0 0 6.2 6.2L16 14l4.5 2.5-1 3.3c-.3.9-1.2 1.4-2.1 1.2C10.8 19.6 4.4 13.2 3 6.6c-.2-.9.3-1.8 1.2-2.1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>`,
  locations: html`<path d="M12 21s-6.5-6.2-6.5-11a6.5 6.5 0 0 1 13 0c0 4.8-6.5 11-6.5 11z" fill="none" stroke="currentColor" stroke-width="1.5"/><circle cx="12" cy="10" r="2.2" fill="none" stroke="currentColor" stroke-width="1.5"/>`,
} as const;

function icon(name: keyof typeof ICONS): SafeHtml {
  return html`<svg viewBox="0 0 24 24" aria-hidden="true">${ICONS[name]}</svg>`;
}

function navItem(href: string, label: string, key: NavKey, active: NavKey, top = false, ic?: keyof typeof ICONS): SafeHtml {
  const cls = `item${top ? ' top' : ''}${key === active ? ' active' : ''}`;
  return html`<a class="${cls}" href="${href}"${key === active && html` aria-current="page"`}>${ic && icon(ic)}${label}</a>`;
}

/** The whole document, ready to send. */
export function page(o: PageOptions): string {
  const crumbs = !!o.crumbs?.length && html`<div class="crumbs">${join(o.crumbs.map((c) => html`${c}`), ' &nbsp;›&nbsp; ')}</div>`;
  const initials = o.organizationName.slice(0, 2).toUpperCase();
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} - Microsoft Teams admin center</title>
<link rel="stylesheet" href="/static/teams/tac.css"></head>
<body>
<header class="tac-top">
  <span class="waffle" aria-hidden="true"><i></i><i></i><i></i><i></i><i></i><i></i><i></i><i></i><i></i></span>
  <span class="brand">Microsoft Teams admin center</span>
  <span class="search">Search - Preview</span>
  <span class="tenant">${o.organizationName}</span>
  <span class="avatar" title="Teams administrator">${initials}</span>
</header>
<div class="tac-body">
<nav class="tac-nav" aria-label="Teams admin center">
  ${navItem('/users', 'Users', 'users', o.active, true, 'users')}
  <div class="group">${icon('devices')}Teams devices</div>
  ${navItem('/devices/phones', 'Phones', 'phones', o.active)}
  ${o.sipTab && navItem('/devices/sip', 'SIP devices', 'sip', o.active)}
  ${o.sipTab && navItem('/devices/bulk-sign-in', 'Bulk sign-in', 'bulk', o.active)}
  <div class="group">${icon('voice')}Voice</div>
  ${navItem('/voice/calling-policies', 'Calling policies', 'calling-policies', o.active)}
  <div class="group">${icon('locations')}Locations</div>
  ${navItem('/locations/network-topology', 'Network topology', 'network', o.active)}
  <div class="sim">Emulated by Rove Simulator.<br>Device login page: <a href="/devicelogin">/devicelogin</a></div>
</nav>
<main class="tac-main">
${crumbs}
${o.body}
</main>
</div>
${o.pane && html`<div class="pane-backdrop"></div>${o.pane}`}
</body></html>`.value;
}

/** A message bar; `content` is text (escaped) or markup. */
export function banner(kind: 'info' | 'ok' | 'warn' | 'error', content: SafeHtml | string): SafeHtml {
  return html`<div class="banner ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${content}</div>`;
}

/** Lab-clock time as the pages show it (UTC). */
export function when(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const d = new Date(at);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** "in 23 h 59 min" / "2 min ago" relative to now. */
export function relative(at: number, now: number): string {
  const ms = Math.abs(at - now);
  const min = Math.round(ms / 60_000);
  const text = min < 60 ? `${min} min` : min < 48 * 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${Math.round(min / 1440)} days`;
  return at >= now ? `in ${text}` : `${text} ago`;
}
