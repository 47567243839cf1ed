import { sipSpeedWarning } from '../../sip/max-lab-speed.ts';
import type { FastifyPluginAsync } from 'fastify';
import { html, join } from '../../kernel/html.ts';
import { formatMac } from '../../kernel/mac.ts';
import { faultsOf } from '../../live/faults/fault-board.ts';
import { labNav } from './lab-page.ts';

const SPEEDS = [1, 10, 60, 600, 3600] as const;
const STEPS: ReadonlyArray<[string, number]> = [
  ['+1 min', 60_000],
  ['+10 min', 600_000],
  ['+1 h', 3_600_000],
  ['+1 day', 86_400_000],
];

/**
 * `/`: the lab overview a trainer keeps open — bases and handsets, where to reach them, the lab clock with controls (pause,
 * speed, advance), and what the devices fetched from the emulated internet.
 */
export const landingPlugin: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const lab = app.lab;
    const clock = lab.clock.state();
    const notice = (req.query as { done?: string }).done;
    // A lab built from a scenario or an inventory shows its devices by the names given there (and the base's site).
    const names = lab.deviceNames;
    const baseName = (mac: string) => names?.bases[mac];
    const bases = [...lab.bases.values()].map((b) => {
      const s = b.status();
      const fw = s.firmwareUpdate.code ? `${s.firmwareUpdate.code}: ${s.firmwareUpdate.message}` : s.firmwareUpdate.message;
      const named = baseName(s.mac);
      return html`<tr>${names && html`<td>${named?.name ?? ''}</td><td>${named?.site ?? ''}</td>`}<td>Rove ${s.model}</td><td><code>${formatMac(s.mac)}</code></td><td>${s.firmware}</td>
<td><span class="state state-${s.state}">${s.state}</span></td><td>${s.reboots}</td><td>${fw}</td>
<td><a href="${app.webAdminUrl(s.mac)}">web admin</a></td></tr>`;
    });
    const handsets = [...lab.handsets.values()].map((h) => {
      const v = h.view();
      const onBase = v.baseMac ? baseName(v.baseMac)?.name : undefined;
      return html`<tr>${names && html`<td>${names.handsets[v.ipei] ?? ''}</td>`}<td>${v.model}</td><td><code>${v.ipei}</code></td><td>${v.firmware}</td>
<td><span class="state state-${v.state}">${v.state}</span></td><td>${v.baseMac ? html`${onBase ? `${onBase} ` : ''}<code>${formatMac(v.baseMac)}</code> slot ${String(v.slot)}` : '—'}</td>
<td><a href="/handsets/${v.ipei}/">handset</a></td></tr>`;
    });
    const requests = lab.internet
      .requestLog()
      .slice(0, 15)
      .map((r) => html`<tr><td>${new Date(r.at).toISOString().replace('T', ' ').slice(0, 19)}</td><td>${r.from ?? ''}</td><td><code>${r.url}</code></td><td>${r.outcome}</td></tr>`);
    const speedButtons = SPEEDS.map((s) => html`<button name="speed" value="${s}"${clock.speed === s && html` class="active"`}>×${s}</button>`);
    const sipWarning = sipSpeedWarning(clock.speed);
    const faults = faultsOf(lab).list();
    const activeFaults = faults.length
      ? html`<strong id="active-fault-count">${faults.length} active fault${faults.length === 1 ? '' : 's'}</strong>: ${join(
          faults.map((f) => html`${f.title} (<code>${f.id}</code>)`),
          ', ',
        )}.`
      : 'No fault is active.';
    const stepButtons = STEPS.map(([label, ms]) => html`<button name="advanceMs" value="${ms}">${label}</button>`);
    return reply.type('text/html').send(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rove Simulator — lab</title>
<meta http-equiv="refresh" content="5">
<link rel="stylesheet" href="/static/admin/admin.css"></head><body class="landing"><main>
<h1>Rove Simulator</h1>
${labNav('/')}
${notice && html`<p class="notice">${notice}</p>`}
<section><h2>Lab clock</h2>
<p>Lab time <strong>${new Date(clock.now).toISOString().replace('T', ' ').slice(0, 19)} UTC</strong>, speed ×${clock.speed}${clock.paused && html`, <strong>paused</strong>`}.</p>
<form method="post" action="/lab/clock" class="clock-controls">
<button name="paused" value="${clock.paused ? 'false' : 'true'}">${clock.paused ? 'Resume' : 'Pause'}</button>
<span>Speed</span> ${speedButtons} <span>Advance</span> ${stepButtons}
</form>${sipWarning && html`<p class="notice error" id="sip-speed-warning">${sipWarning}</p>`}</section>
<section><h2>Faults and checkpoints</h2>
<p>${activeFaults} <a href="/lab/faults/">Inject or undo faults</a> · <a href="/lab/checkpoints/">Checkpoints and reset</a> · <a href="/replay/">Replay a rehearsal's event log</a></p></section>
<section><h2>Base stations</h2>
<table class="grid"><thead><tr>${names && html`<th>Name</th><th>Site</th>`}<th>Model</th><th>MAC</th><th>Firmware</th><th>State</th><th>Reboots</th><th>Auto firmware update</th><th></th></tr></thead><tbody>${bases}</tbody></table></section>
<section><h2>Handsets</h2>
<table class="grid"><thead><tr>${names && html`<th>Name</th>`}<th>Model</th><th>IPEI</th><th>Firmware</th><th>State</th><th>Base</th><th></th></tr></thead><tbody>${handsets.length ? handsets : html`<tr><td colspan="${names ? 7 : 6}">No handsets in this lab.</td></tr>`}</tbody></table>
<p><a href="/handsets/">All handsets with their screens</a> · <a href="/sip/">SIP servers: registrations and the REGISTER storm</a></p></section>
<section><h2>Emulated internet</h2>
<p>Hosts: ${join(lab.internet.listHosts().map((h) => html`<code>${h.hostname}</code>`), ', ')}. Other host names fail as a DNS failure would.</p>
<table class="grid"><thead><tr><th>Lab time (UTC)</th><th>Device</th><th>URL</th><th>Result</th></tr></thead><tbody>${requests.length ? requests : html`<tr><td colspan="4">No requests yet.</td></tr>`}</tbody></table></section>
<p>Control API: <a href="/api/openapi.json">/api/openapi.json</a> · <a href="/api/bases">/api/bases</a> · <a href="/api/internet">/api/internet</a></p>
</main></body></html>`.value);
  });

  /** The clock buttons: a form post (the JSON API has the same at POST /api/clock). */
  app.post<{ Body: { speed?: string; paused?: string; advanceMs?: string } }>(
    '/lab/clock',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: {
            speed: { type: 'string', enum: SPEEDS.map(String) },
            paused: { type: 'string', enum: ['true', 'false'] },
            advanceMs: { type: 'string', enum: STEPS.map(([, ms]) => String(ms)) },
          },
        },
      },
    },
    async (req, reply) => {
      const clock = app.lab.clock;
      const { speed, paused, advanceMs } = req.body;
      let done = '';
      if (speed) {
        clock.setSpeed(Number(speed));
        done = `Clock speed ×${speed}`;
      } else if (paused) {
        if (paused === 'true') clock.pause();
        else clock.resume();
        done = paused === 'true' ? 'Clock paused' : 'Clock resumed';
      } else if (advanceMs) {
        await clock.advance(Number(advanceMs));
        done = `Clock advanced by ${STEPS.find(([, ms]) => String(ms) === advanceMs)?.[0].slice(1)}`;
      }
      return reply.redirect(`/?done=${encodeURIComponent(done)}`, 303);
    },
  );
};
