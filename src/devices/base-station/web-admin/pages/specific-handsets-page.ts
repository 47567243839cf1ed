/**
 * DECT → Specific Handsets: the slots of the base. The guide: "select an available slot in the Specific Handsets
 * section, and click on Register" — which opens the base for registration for 5 minutes (RTX) while the handset
 * enters the Access Code (0000 by default, seed 000).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { type ParameterSection, sectionById } from '../../parameters.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { errorSummary, type FormLook, renderSection } from '../form-rendering.ts';
import { HANDSET_SLOTS } from '../handset-slots.ts';
import { html } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, redirectTo, sendPage, timeAt } from '../page-context.ts';
import { saveSettingsForm, savedFormState, type SettingsFormState } from '../settings-form.ts';

export const REGISTRATION_SECTIONS: readonly ParameterSection[] = [sectionById('dect-registration')!];

function body(base: BaseStation, state: SettingsFormState, look: FormLook) {
  const registration = base.status().registration;
  const bySlot = new Map(base.flash.handsets.map((h) => [h.slot, h]));
  const rows = Array.from({ length: HANDSET_SLOTS[base.flash.model] }, (_, i) => i + 1).map((slot) => {
    const h = bySlot.get(slot);
    const action = h
      ? html`<span class="muted">Registered</span>`
      : registration?.slot === slot
        ? html`<span class="phase phase-fetching">Registration open until ${timeAt(base, registration.until)}</span>`
        : html`<button type="submit" name="slot" value="${slot}" class="small">Register</button>`;
    return html`<tr id="slot-${slot}"><td>${slot}</td><td>${h ? html`<code>${h.ipei}</code>` : '—'}</td><td>${h?.model ?? ''}</td><td>${h?.firmware ?? ''}</td><td>${action}</td></tr>`;
  });
  const windowNotice = registration
    ? html`<div class="notice info" id="registration-window">Registration window open for slot ${registration.slot} until <strong class="time">${timeAt(base, registration.until)}</strong>. On the handset: Settings → Connectivity → Register, select the entry and enter the Access Code.</div>`
    : html`<p id="registration-window">Registration is closed. Pick a free slot and click Register to open the base for 5 minutes.</p>`;
  return html`<form method="post" action="specific-handsets" class="settings">
${REGISTRATION_SECTIONS.map((s) => renderSection(s, state, look))}
<div class="actions"><button type="submit" class="primary">Save</button></div></form>
<section class="panel"><h2>Handset slots</h2>${windowNotice}
<form method="post" action="register-handset"><table class="grid" id="slots"><thead><tr><th>Slot</th><th>IPEI</th><th>Model</th><th>Firmware</th><th></th></tr></thead><tbody>${rows}</tbody></table></form></section>`;
}

function notices(query: Record<string, string | undefined>): Notice[] {
  if (query.saved !== undefined) return [{ kind: 'ok', text: 'Settings saved' }];
  if (query.registering !== undefined) return [{ kind: 'ok', text: `Registration opened for slot ${query.registering}` }];
  return [];
}

/** A free slot of this base, or why not. */
function checkSlot(base: BaseStation, raw: string): { slot: number } | { problem: string } {
  const slots = HANDSET_SLOTS[base.flash.model];
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > slots) return { problem: `Slot must be a number from 1 to ${slots}.` };
  const slot = Number(raw);
  if (base.flash.handsets.some((h) => h.slot === slot)) return { problem: `Slot ${slot} is in use; pick a free slot.` };
  return { slot };
}

export const specificHandsetsPage: FastifyPluginAsync<PagePluginOptions> = async (app, { training }) => {
  const look: FormLook = { hints: !training };
  app.get<{ Params: MacParams; Querystring: Record<string, string | undefined> }>('/:mac/specific-handsets', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'specific-handsets', body: body(base, savedFormState(base), look), notices: notices(req.query) });
  });

  app.post<{ Params: MacParams }>('/:mac/specific-handsets', async (req, reply) => {
    const base = baseOf(req);
    const outcome = saveSettingsForm(base, REGISTRATION_SECTIONS, req.body);
    if (outcome.ok) return redirectTo(reply, 'specific-handsets?saved=1');
    const summary = errorSummary(REGISTRATION_SECTIONS, outcome.state);
    return sendPage(reply, { base, page: 'specific-handsets', body: body(base, outcome.state, look), notices: summary ? [summary] : [] }, 400);
  });

  app.post<{ Params: MacParams }>('/:mac/register-handset', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: ['slot'] });
    const checked = form.problems.length
      ? { problem: form.problems.join(' ') }
      : base.isSecondary
        ? { problem: `This base is a secondary of multi-cell chain ${base.flash.multiCell!.chainId}: register handsets on the primary base.` }
        : checkSlot(base, form.values.slot.trim());
    if ('problem' in checked) {
      return sendPage(reply, { base, page: 'specific-handsets', body: body(base, savedFormState(base), look), notices: [{ kind: 'error', text: checked.problem }] }, 400);
    }
    base.send({ type: 'OPEN_REGISTRATION', slot: checked.slot });
    return redirectTo(reply, `specific-handsets?registering=${checked.slot}`);
  });
};
