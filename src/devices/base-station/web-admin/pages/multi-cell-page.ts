/**
 * DECT → Multi-cell: the RTX multi-cell settings of a Rove B4 (Multi cell system, System chain ID, Base role, Data
 * sync, System combination, DECT sync source). "Must save and reboot" [RTX]: the one button saves and reboots, and the
 * base applies the settings when it is up again; saved settings it does not run yet are shown as pending. A Rove B2
 * is single-cell: the page says so and refuses to save.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import type { MultiCellConfig } from '../../base-flash.ts';
import { MULTI_CELL_REBOOT_REASON, SINGLE_CELL_REFUSAL } from '../../multi-cell.ts';
import { type ParameterSection, sectionById } from '../../parameters.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { errorSummary, type FormLook, renderSection } from '../form-rendering.ts';
import { html, type SafeHtml } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, sendPage } from '../page-context.ts';
import { saveSettingsForm, savedFormState, type SettingsFormState } from '../settings-form.ts';

export const MULTI_CELL_SECTIONS: readonly ParameterSection[] = [sectionById('multi-cell')!];

function describe(config: MultiCellConfig | null): string {
  if (!config) return 'Disabled (single cell)';
  const source = config.syncSource ? `, DECT sync source ${config.syncSource}` : '';
  return `Enabled: chain ${config.chainId}, ${config.role === 'primary' ? 'Primary' : 'Secondary'}, ${config.dataSync}, ${config.systemCombination}${source}`;
}

function body(base: BaseStation, state: SettingsFormState, look: FormLook): SafeHtml {
  if (base.flash.model !== 'B4') {
    return html`<section class="panel"><h2>Multi-cell</h2><p id="single-cell">${SINGLE_CELL_REFUSAL}.</p></section>`;
  }
  const mc = base.status().multiCell;
  const pending = mc.pending
    ? html`<div class="notice info" role="status" id="multi-cell-pending">Saved settings not applied yet: <strong>${describe(mc.saved)}</strong>. The base applies them after its next reboot.</div>`
    : '';
  return html`<section class="panel"><h2>Running</h2><table class="status"><tbody>
<tr id="multi-cell-running"><th scope="row">Multi-cell</th><td>${describe(mc.running)}</td></tr>
</tbody></table>${pending}<p class="note">The system's bases, their sync states and handsets: <a href="dect-chain">DECT chain</a>.</p></section>
<form method="post" action="multi-cell" class="settings" novalidate>
${MULTI_CELL_SECTIONS.map((s) => renderSection(s, state, look))}
<p class="note">Multi-cell settings take effect after a reboot: <strong>Save and reboot</strong> saves them and reboots the base (once calls and a firmware update have ended). Handsets of this base lose connectivity meanwhile.</p>
<div class="actions"><button type="submit" class="primary">Save and reboot</button></div>
</form>`;
}

export const multiCellPage: FastifyPluginAsync<PagePluginOptions> = async (app, { training }) => {
  const look: FormLook = { hints: !training };
  app.get<{ Params: MacParams }>('/:mac/multi-cell', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'multi-cell', body: body(base, savedFormState(base), look) });
  });

  app.post<{ Params: MacParams }>('/:mac/multi-cell', async (req, reply) => {
    const base = baseOf(req);
    if (base.flash.model !== 'B4') {
      const notice: Notice = { kind: 'error', text: html`<strong>Settings not saved</strong>: ${SINGLE_CELL_REFUSAL}.` };
      return sendPage(reply, { base, page: 'multi-cell', body: body(base, savedFormState(base), look), notices: [notice] }, 400);
    }
    const outcome = saveSettingsForm(base, MULTI_CELL_SECTIONS, req.body);
    if (!outcome.ok) {
      const summary = errorSummary(MULTI_CELL_SECTIONS, outcome.state);
      return sendPage(reply, { base, page: 'multi-cell', body: body(base, outcome.state, look), notices: summary ? [summary] : [] }, 400);
    }
    base.send({ type: 'REBOOT', reason: MULTI_CELL_REBOOT_REASON });
    const notice: Notice =
      base.state === 'rebooting'
        ? { kind: 'ok', text: 'Settings saved. The base is rebooting to apply them; the web admin answers again when it is up.' }
        : { kind: 'info', text: 'Settings saved. The base reboots to apply them as soon as calls and the firmware update have ended.' };
    return sendPage(reply, { base, page: 'multi-cell', body: body(base, savedFormState(base), look), notices: [notice] });
  });
};
