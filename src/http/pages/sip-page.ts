import type { FastifyPluginAsync } from 'fastify';
import { SIP_SERVER_NAMES, sipServerByName } from '../api/sip-routes.ts';
import { html, join, type SafeHtml } from '../../kernel/html.ts';
import type { TimelineEntry } from '../../sip/server/timeline.ts';

const WINDOWS: ReadonlyArray<[string, number]> = [
  ['10 min', 10 * 60_000],
  ['1 h', 3_600_000],
  ['6 h', 6 * 3_600_000],
  ['1 day', 86_400_000],
];

/**
 * An SVG bar chart of REGISTERs per time bucket: after a base reboot every line registers again, and the storm (and
 * how the firmware paces it) shows as a burst of bars. Failed answers are stacked in red.
 */
export function registerChart(entries: TimelineEntry[], from: number, to: number, buckets = 60): SafeHtml {
  const width = 900;
  const height = 160;
  const span = Math.max(1, to - from);
  const ok = new Array<number>(buckets).fill(0);
  const failed = new Array<number>(buckets).fill(0);
  for (const e of entries) {
    if (e.at < from || e.at > to) continue;
    const i = Math.min(buckets - 1, Math.floor(((e.at - from) / span) * buckets));
    if (e.status !== null && e.status >= 300 && e.status !== 401 && e.status !== 407) failed[i]!++;
    else ok[i]!++;
  }
  const max = Math.max(1, ...ok.map((n, i) => n + failed[i]!));
  const bw = width / buckets;
  const bars = ok.map((n, i) => {
    const hOk = (n / max) * (height - 20);
    const hFail = (failed[i]! / max) * (height - 20);
    const x = (i * bw).toFixed(1);
    return html`<rect x="${x}" y="${(height - hOk).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${hOk.toFixed(1)}" fill="#2f6fb3"><title>${n} REGISTER</title></rect>${
      !!failed[i] &&
      html`<rect x="${x}" y="${(height - hOk - hFail).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${hFail.toFixed(1)}" fill="#c62828"><title>${failed[i]} failed</title></rect>`
    }`;
  });
  const label = (t: number) => new Date(t).toISOString().slice(11, 19);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height + 16}" width="100%" role="img" aria-label="REGISTER requests over lab time">
<text x="0" y="12" font-size="11" fill="#555">max ${max} per bucket</text>${bars}
<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#888"/>
<text x="0" y="${height + 14}" font-size="11" fill="#555">${label(from)}</text><text x="${width}" y="${height + 14}" font-size="11" fill="#555" text-anchor="end">${label(to)} UTC</text></svg>`;
}

/** `/sip/`: the lab's SIP servers — who is registered, the REGISTER storm chart, the latest requests. */
export const sipPagePlugin: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { server?: string; window?: string } }>(
    '/sip/',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { server: { type: 'string', enum: SIP_SERVER_NAMES }, window: { type: 'string', enum: WINDOWS.map(([l]) => l) } },
        },
      },
    },
    async (req, reply) => {
      const name = req.query.server ?? 'lab';
      const server = sipServerByName(app, name);
      const [windowLabel, windowMs] = WINDOWS.find(([l]) => l === req.query.window) ?? WINDOWS[1]!;
      const now = app.lab.clock.now();
      const registers = server.timeline.entries({ method: 'REGISTER', since: now - windowMs });
      const recent = server.timeline.entries().slice(-40).reverse();
      const regs = server.registrations();
      const tabs = join(
        SIP_SERVER_NAMES.map((n) => (n === name ? html`<strong>${n}</strong>` : html`<a href="?server=${n}&amp;window=${encodeURIComponent(windowLabel)}">${n}</a>`)),
        ' · ',
      );
      const windows = join(
        WINDOWS.map(([l]) => (l === windowLabel ? html`<strong>${l}</strong>` : html`<a href="?server=${name}&amp;window=${encodeURIComponent(l)}">${l}</a>`)),
        ' · ',
      );
      const regRows = regs.map(
        (r) => html`<tr><td>${r.extension}</td><td><code>${r.contact}</code></td><td>${r.transport}</td><td>${r.expiresIn} s</td><td>${r.userAgent ?? ''}</td></tr>`,
      );
      const recentRows = recent.map(
        (e) =>
          html`<tr><td>${new Date(e.at).toISOString().slice(11, 23)}</td><td>${e.method ?? e.kind}</td><td>${e.user ?? ''}</td><td>${e.target ?? ''}</td><td>${e.status ?? '…'} ${e.reason ?? ''}</td><td>${e.detail ?? ''}</td></tr>`,
      );
      return reply.type('text/html').send(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SIP — Rove Simulator</title>
<meta http-equiv="refresh" content="5"><link rel="stylesheet" href="/static/admin/admin.css"></head><body class="landing"><main>
<h1>SIP servers</h1><p><a href="/">← Lab overview</a></p>
<p>Server: ${tabs} (<code>${server.domain}</code>)</p>
<section><h2>REGISTER requests, last ${windowLabel}</h2><p>Window: ${windows}. After a base reboot all its lines register again: the storm shows as a burst.</p>
${registerChart(registers, now - windowMs, now)}<p>${registers.length} REGISTER in the window.</p></section>
<section><h2>Registered (${regs.length})</h2><table class="grid"><thead><tr><th>Extension</th><th>Contact</th><th>Transport</th><th>Expires in</th><th>User-Agent</th></tr></thead>
<tbody>${regRows.length ? regRows : html`<tr><td colspan="5">Nobody is registered.</td></tr>`}</tbody></table></section>
<section><h2>Latest requests</h2><table class="grid"><thead><tr><th>Lab time (UTC)</th><th>Method</th><th>From</th><th>To</th><th>Answer</th><th>Detail</th></tr></thead>
<tbody>${recentRows.length ? recentRows : html`<tr><td colspan="6">No requests yet.</td></tr>`}</tbody></table>
<p>JSON: <a href="/api/sip/timeline?server=${name}&amp;method=REGISTER">/api/sip/timeline</a> · <a href="/api/sip/registrations?server=${name}">/api/sip/registrations</a></p></section>
</main></body></html>`.value);
    },
  );
};
