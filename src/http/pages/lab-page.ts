/**
 * The frame of the trainer's lab pages (overview, faults, checkpoints): one stylesheet, a navigation line, the
 * outcome of the last form as a notice. Server-rendered; every form posts and works without JavaScript.
 */
import { html, join, type SafeHtml } from '../../kernel/html.ts';

const NAV: ReadonlyArray<[string, string]> = [
  ['/', 'Lab overview'],
  ['/lab/faults/', 'Faults'],
  ['/lab/checkpoints/', 'Checkpoints and reset'],
  ['/handsets/', 'Handsets'],
  ['/sip/', 'SIP'],
];

/** The navigation line between the lab pages; `current` is shown as plain text. */
export function labNav(current: string): SafeHtml {
  const links = NAV.map(([href, label]) => (href === current ? html`<strong>${label}</strong>` : html`<a href="${href}">${label}</a>`));
  return html`<nav class="lab-nav">${join(links, ' · ')}</nav>`;
}

/** Lab time as the overview prints it: `2026-11-02 09:00:00 UTC`. */
export function labTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** The lab clock as the faults and checkpoints pages show it: time, and whether it is paused. */
export function labClockLine(clock: { now(): number; paused: boolean }): SafeHtml {
  return html`<p>Lab time <strong>${labTime(clock.now())}</strong>${clock.paused && html`, <strong>paused</strong>`}.</p>`;
}

export interface LabPageOptions {
  title: string;
  /** Path of this page, for the navigation line. */
  path: string;
  /** What the last form did (from `?done=`). */
  notice?: string | undefined;
  /** Why the last form did nothing, and what to do. */
  error?: string | undefined;
  body: SafeHtml;
}

/** The whole document, ready to send. */
export function labPage({ title, path, notice, error, body }: LabPageOptions): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — Rove Simulator</title>
<link rel="stylesheet" href="/static/admin/admin.css"></head><body class="landing"><main>
<h1>${title}</h1>
${labNav(path)}
${notice && html`<p class="notice" role="status">${notice}</p>`}${error && html`<p class="notice error" role="alert">${error}</p>`}
${body}
</main></body></html>`.value;
}
