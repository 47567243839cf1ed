/**
 * DECT → DECT Summary: the handsets subscribed to the base with their firmware — where the guide checks that a
 * handset runs at least 8.0.3 (seed 000) — with each handset's state, over-the-air progress and the base it is on. On
 * a multi-cell primary the list is the whole system's, and a handset may be on another base of it (roaming).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import type { BaseSurroundings, DectSummaryRow } from '../../base-surroundings.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { html } from '../../../../kernel/html.ts';
import { type PagePluginOptions, sendPage } from '../page-context.ts';

/** Over-the-air progress or its error, as the firmware update column shows it. */
function otaText(u: DectSummaryRow['firmwareUpdate']): string {
  if (!u) return '';
  return u.error ? `${u.error.code}: ${u.error.message}` : `updating to ${u.to}: ${u.percent}%`;
}

/** The base the handset is on: this one, or (multi-cell) another base of the system it roamed to. */
function baseCell(lab: BaseSurroundings, base: BaseStation, ipei: string, state: string) {
  const cell = state === 'in-service' ? lab.cellOf(ipei) : undefined;
  if (!cell) return '—';
  return cell === base.mac ? html`<code>${cell}</code>` : html`<code>${cell}</code> (roamed)`;
}

function body(lab: BaseSurroundings, base: BaseStation) {
  const handsets = lab.dectSummary(base.mac).sort((a, b) => a.slot - b.slot);
  const s = base.flash.settings;
  const rows = handsets.length
    ? handsets.map(
        (h) =>
          html`<tr><td>${h.slot}</td><td><code>${h.ipei}</code></td><td>${h.model}</td><td>${h.firmware ?? 'unknown'}</td><td>${otaText(h.firmwareUpdate)}</td><td>${h.state}</td><td>${baseCell(lab, base, h.ipei, h.state)}</td></tr>`,
      )
    : [html`<tr><td colspan="7" class="empty">No handsets registered</td></tr>`];
  const target = (v: string, b: string) => (v || b ? `${v || '—'} / ${b || '—'}` : 'not set');
  const secondary = base.isSecondary
    ? html`<div class="notice info" role="status" id="secondary-note">This base is a secondary of multi-cell chain ${base.flash.multiCell!.chainId}: the primary base holds the handset list of the system (see <a href="dect-chain">DECT chain</a>).</div>`
    : '';
  return html`${secondary}<section class="panel"><h2>Handsets</h2>
<table class="grid" id="handsets"><thead><tr><th>Slot</th><th>IPEI</th><th>Model</th><th>Firmware</th><th>Firmware update</th><th>State</th><th>Base</th></tr></thead><tbody>${rows}</tbody></table></section>
<section class="panel"><h2>Handset firmware targets</h2><table class="status"><tbody>
<tr><th scope="row">Rove 30 (Rove30FwVersion / Rove30FwBranch)</th><td>${target(s.rove30FwVersion, s.rove30FwBranch)}</td></tr>
<tr><th scope="row">Rove 40 (Rove40FwVersion / Rove40FwBranch)</th><td>${target(s.rove40FwVersion, s.rove40FwBranch)}</td></tr>
</tbody></table><p class="note">Set on <a href="auto-provisioning">System Management → Auto provisioning</a>; handsets update over the air from the base.</p></section>`;
}

export const dectSummaryPage: FastifyPluginAsync<PagePluginOptions> = async (app, { lab }) => {
  app.get<{ Params: MacParams }>('/:mac/dect-summary', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'dect-summary', body: body(lab, base) });
  });
};
