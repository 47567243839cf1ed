import type { FastifyPluginAsync } from 'fastify';
import { escapeHtml } from '../shared/html.ts';

/** `/`: what a person sees first — the lab's devices and where to go. */
export const landingPlugin: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const rows = [...app.lab.bases.values()]
      .map((b) => {
        const s = b.status();
        return `<tr><td>Rove ${s.model}</td><td><code>${s.mac}</code></td><td>${escapeHtml(s.firmware)}</td><td>${s.state}</td><td>${s.reboots}</td><td><a href="${escapeHtml(app.webAdminUrl(s.mac))}">web admin</a></td></tr>`;
      })
      .join('');
    return reply.type('text/html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rove Simulator</title>
<link rel="stylesheet" href="/static/admin/admin.css"></head><body class="landing"><main>
<h1>Rove Simulator</h1>
<p>Simulated Poly Rove IP DECT lab. Lab clock: <span id="clock">${new Date(app.lab.clock.now()).toISOString()}</span> (speed ×${app.lab.clock.speed}${app.lab.clock.paused ? ', paused' : ''}).</p>
<h2>Base stations</h2>
<table class="grid"><thead><tr><th>Model</th><th>MAC</th><th>Firmware</th><th>State</th><th>Reboots</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<p>Control API: <a href="/api/openapi.json">/api/openapi.json</a> · <a href="/api/bases">/api/bases</a> · <a href="/api/internet">emulated internet</a></p>
</main></body></html>`);
  });
};
