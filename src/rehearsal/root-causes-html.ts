/**
 * The root causes in the HTML report (root-causes.ts finds them): a table of causes, each with its fix and the
 * handsets it took down, and a note beside a device's error naming its cause and its other failing checks.
 */
import { html, type SafeHtml } from '../kernel/html.ts';
import type { DeviceOutcome, RunReport } from './report.ts';
import { ROOT_CAUSE_KIND_WORDS as KIND_WORDS } from './root-causes.ts';

export function rootCausesSection(r: RunReport): SafeHtml {
  const causes = r.rootCauses ?? [];
  const checks = Object.entries(r.checksByError ?? {});
  if (causes.length === 0 && checks.length === 0) return html``;
  const rows = causes.map((c) => {
    const names = c.handsets.slice(0, 8).join(', ') + (c.handsets.length > 8 ? ` and ${c.handsets.length - 8} more` : '');
    return html`<tr><td>${KIND_WORDS[c.kind]}${c.subject ? html` <b>${c.subject}</b>` : html``}</td><td>${c.error}</td><td class="num">${c.handsets.length}</td><td>${c.fix}</td><td>${names}</td></tr>`;
  });
  const checkRows = checks.map(([error, n]) => html`<tr><td>${error}</td><td class="num">${n}</td></tr>`);
  return html`<h3>Root causes</h3>
${causes.length > 0 && html`<table class="root-causes"><tr><th>Where</th><th>Cause</th><th>Handsets</th><th>What to fix</th><th>Which</th></tr>${rows}</table>`}
${checks.length > 0 && html`<p class="note">Every failing check of the failed bulk sign-in rows (the service reports only the first of each row):</p><table class="bulk-checks"><tr><th>Check</th><th>Rows</th></tr>${checkRows}</table>`}`;
}

/** Beside a device's error: its root cause, and the row's other failing checks. */
export function deviceCauseNote(d: DeviceOutcome): SafeHtml {
  const others = (d.checks ?? []).slice(1);
  return html`${others.length > 0 && html`<br><small>also: ${others.join(' · ')}</small>`}${d.rootCause && html`<br><small>root cause (${KIND_WORDS[d.rootCause.kind]}${d.rootCause.subject ? ` ${d.rootCause.subject}` : ''}): ${d.rootCause.error}</small>`}`;
}
