/**
 * DECT → DECT chain: every base of this base's multi-cell system [RTX "Base Group table" and "DECT Chain"]: MAC, role,
 * sync state (Locked, Free running, Assisted lock, Searching, Sync lost, Unknown), chain level, DECT sync source, the
 * handsets in service on it and its calls (at most 8 per base in multi-cell [RTX]).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import type { BaseSurroundings } from '../../base-surroundings.ts';
import { formatMac } from '../../../../kernel/mac.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { html, type SafeHtml } from '../../../../kernel/html.ts';
import { type PagePluginOptions, sendPage } from '../page-context.ts';

function body(lab: BaseSurroundings, base: BaseStation): SafeHtml {
  const rows = lab.chain(base.mac);
  if (rows.length === 0) {
    const pending = base.status().multiCell.pending ? ' Saved multi-cell settings are applied after the next reboot.' : '';
    return html`<section class="panel"><h2>DECT chain</h2><p id="no-chain">Multi-cell is not active on this base.${pending} See <a href="multi-cell">Multi-cell</a>.</p></section>`;
  }
  const chainId = base.flash.multiCell?.chainId;
  const lines = rows.map(
    (r) => html`<tr id="base-${r.mac}"${r.mac === base.mac ? html` class="current"` : ''}><td><code>${formatMac(r.mac)}</code></td><td>Rove ${r.model}</td><td>${r.role}</td><td><span class="sync sync-${r.syncState.toLowerCase().replace(/ /g, '-')}">${r.syncState}</span></td><td>${r.chainLevel ?? '—'}</td><td>${r.syncSource ? html`<code>${formatMac(r.syncSource)}</code>` : '—'}</td><td>${r.site}</td><td>${r.handsets.length}${r.handsets.length ? html` (${r.handsets.map((ipei, i) => html`${i ? ', ' : ''}<code>${ipei}</code>`)})` : ''}</td><td>${r.activeCalls} / ${r.maxCalls}</td><td>${r.problem ?? ''}</td></tr>`,
  );
  return html`<section class="panel"><h2>System chain ID ${chainId ?? ''}</h2>
<table class="grid" id="dect-chain"><thead><tr><th>MAC</th><th>Model</th><th>Role</th><th>Sync state</th><th>Chain level</th><th>DECT sync source</th><th>Site</th><th>Handsets</th><th>Calls</th><th>Problem</th></tr></thead><tbody>${lines}</tbody></table>
<p class="note">Locked: synchronised to its DECT sync source. Free running: no sync data for 10 s. Assisted lock: source lost, other bases help over the LAN. Searching: looking for a source (no service). Sync lost: source lost during a call. Unknown: the base is down.</p></section>`;
}

export const dectChainPage: FastifyPluginAsync<PagePluginOptions> = async (app, { lab }) => {
  app.get<{ Params: MacParams }>('/:mac/dect-chain', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'dect-chain', body: body(lab, base) });
  });
};
