/**
 * The web admin's answers that are not pages of the admin itself: unknown base or page, base down, login needed,
 * locked out, bad request. Each says what happened and what to do, in the base's time zone where a time is shown.
 */
import type { BaseStation } from '../base-station.ts';
import { formatMac } from '../../../kernel/mac.ts';
import { html } from '../../../kernel/html.ts';
import { renderPlainPage } from './layout.ts';
import { formatTime } from './time-format.ts';

export function notFoundPage(what: string): string {
  return renderPlainPage('404 Not Found', html`<p>${what}</p>`);
}

export function unknownBasePage(mac: string): string {
  return notFoundPage(
    mac.trim() ? `There is no base station with MAC ${mac} in this lab.` : 'The URL names no base station (expected /bases/<MAC>/).',
  );
}

const STATE_WORDS: Record<string, string> = {
  off: 'powered off',
  booting: 'booting',
  rebooting: 'rebooting',
  running: 'running',
};

/**
 * A real base's web server does not answer at all while it is off or restarting: a browser would wait and time out.
 * The simulator answers at once with 503 so that a person (or a test) sees why instead of a hanging tab.
 */
export function unreachablePage(base: BaseStation): string {
  return renderPlainPage(
    'Base not reachable',
    html`<p>The base station Rove ${base.flash.model} ${formatMac(base.mac)} is not reachable: it is <strong>${STATE_WORDS[base.state] ?? base.state}</strong> (state: <code>${base.state}</code>).</p>
<p>A real base does not answer while it is off or restarting; try again when it is running.</p>`,
  );
}

export function unauthorizedPage(base: BaseStation | undefined): string {
  return renderPlainPage(
    '401 Unauthorized',
    html`<p>Log in to the web admin of this base with the user name <code>admin</code> and its admin password.</p>`,
    base,
  );
}

export function lockedOutPage(base: BaseStation, until: number, ip: string): string {
  return renderPlainPage(
    '403 Too many failed logins',
    html`<p>Too many failed logins from ${ip}. The web admin of this base is locked for this address.</p>
<p>Try again after <strong class="time">${formatTime(until, base.flash.settings.timeZone)}</strong>.</p>`,
    base,
  );
}

export function errorPage(title: string, message: string, base?: BaseStation): string {
  return renderPlainPage(title, html`<p>${message}</p><p><a href="./">Home/Status</a></p>`, base);
}
