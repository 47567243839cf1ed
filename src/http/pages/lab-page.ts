/**
 * The frame of the trainer's lab pages (overview, faults, checkpoints): one stylesheet, a navigation line, the
 * outcome of the last form as a notice. Server-rendered; every form posts and works without JavaScript.
 */
import { escapeHtml } from '../../kernel/html.ts';

const NAV: ReadonlyArray<[string, string]> = [
  ['/', 'Lab overview'],
  ['/lab/faults/', 'Faults'],
  ['/lab/checkpoints/', 'Checkpoints and reset'],
  ['/handsets/', 'Handsets'],
  ['/sip/', 'SIP'],
];

/** The navigation line between the lab pages; `current` is shown as plain text. */
export function labNav(current: string): string {
  const links = NAV.map(([href, label]) => (href === current ? `<strong>${label}</strong>` : `<a href="${href}">${label}</a>`));
  return `<nav class="lab-nav">${links.join(' · ')}</nav>`;
}

/** Lab time as the overview prints it: `2026-11-02 09:00:00 UTC`. */
export function labTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** The lab clock as the faults and checkpoints pages show it: time, and whether it is paused. */
export function labClockLine(clock: { now(): number; paused: boolean }): string {
  return `<p>Lab time <strong>${labTime(clock.now())}</strong>${clock.paused ? ', <strong>paused</strong>' : ''}.</p>`;
}

export interface LabPageOptions {
  title: string;
  /** Path of this page, for the navigation line. */
  path: string;
  /** What the last form did (from `?done=`). */
  notice?: string | undefined;
  /** Why the last form did nothing, and what to do. */
  error?: string | undefined;
  body: string;
}

export function labPage({ title, path, notice, error, body }: LabPageOptions): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Rove Simulator</title>
<link rel="stylesheet" href="/static/admin/admin.css"></head><body class="landing"><main>
<h1>${escapeHtml(title)}</h1>
${labNav(path)}
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}${error ? `<p class="notice error" role="alert">${escapeHtml(error)}</p>` : ''}
${body}
</main></body></html>`;
}
