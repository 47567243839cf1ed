/**
 * System Management → Auto provisioning: the page of the guide's "Firmware update" and "ITSP Provisioning" steps.
 * One form with the three sections exactly as the guide lists them (Auto Firmware Update; Firmware Versions and
 * Handset Images; ITSP Provisioning), and a "Check now" button that starts a firmware check at once.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { type ParameterSection, sectionById } from '../../parameters.ts';
import { PHASE_WORDS } from '../activity-words.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { errorSummary, type FormLook, renderSection } from '../form-rendering.ts';
import { html } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, redirectTo, sendPage, timeAt } from '../page-context.ts';
import { saveSettingsForm, savedFormState, type SettingsFormState } from '../settings-form.ts';

export const AUTO_PROVISIONING_SECTIONS: readonly ParameterSection[] = ['auto-firmware-update', 'firmware-versions', 'itsp-provisioning'].map(
  (id) => sectionById(id)!,
);

function body(base: BaseStation, state: SettingsFormState, look: FormLook) {
  const fw = base.status().firmwareUpdate;
  return html`<form method="post" action="auto-provisioning" class="settings" novalidate>
${AUTO_PROVISIONING_SECTIONS.map((s) => renderSection(s, state, look))}
<div class="actions"><button type="submit" class="primary">Save</button></div>
</form>
<section class="panel"><h2>Firmware check</h2>
<form method="post" action="check-firmware" class="inline">
<p>Auto firmware update: <span class="phase phase-${fw.phase}">${PHASE_WORDS[fw.phase]}</span> — ${fw.message}${fw.code ? html` (<code class="error-code">${fw.code}</code>)` : ''}${
    fw.at === null ? '' : html` <span class="time">${timeAt(base, fw.at)}</span>`
  }</p>
<button type="submit">Check now</button></form></section>`;
}

function savedNotices(base: BaseStation, query: Record<string, string | undefined>): Notice[] {
  const notices: Notice[] = [];
  if (query.saved !== undefined) notices.push({ kind: 'ok', text: 'Settings saved' });
  if (query.saved !== undefined && base.status().pendingProvisioningReboots > 0) {
    notices.push({
      kind: 'info',
      text: `The new ITSP provisioning settings take effect over ${base.status().pendingProvisioningReboots} reboots of the base; handsets lose connectivity meanwhile.`,
    });
  }
  if (query.checking !== undefined) notices.push({ kind: 'info', text: 'Firmware check started' });
  return notices;
}

export const autoProvisioningPage: FastifyPluginAsync<PagePluginOptions> = async (app, { training }) => {
  const look: FormLook = { hints: !training };
  app.get<{ Params: MacParams; Querystring: Record<string, string | undefined> }>('/:mac/auto-provisioning', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'auto-provisioning', body: body(base, savedFormState(base), look), notices: savedNotices(base, req.query) });
  });

  app.post<{ Params: MacParams }>('/:mac/auto-provisioning', async (req, reply) => {
    const base = baseOf(req);
    const outcome = saveSettingsForm(base, AUTO_PROVISIONING_SECTIONS, req.body);
    if (outcome.ok) return redirectTo(reply, 'auto-provisioning?saved=1');
    const summary = errorSummary(AUTO_PROVISIONING_SECTIONS, outcome.state);
    return sendPage(reply, { base, page: 'auto-provisioning', body: body(base, outcome.state, look), notices: summary ? [summary] : [] }, 400);
  });

  app.post<{ Params: MacParams }>('/:mac/check-firmware', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body ?? {}, { required: [] });
    if (form.problems.length) {
      return sendPage(reply, { base, page: 'auto-provisioning', body: body(base, savedFormState(base), look), notices: form.problems.map((text) => ({ kind: 'error', text })) }, 400);
    }
    base.send({ type: 'CHECK_FIRMWARE' });
    return redirectTo(reply, 'auto-provisioning?checking=1');
  });
};
