/**
 * `/lab/faults/`: the trainer's fault board — the faults active now with an Undo each, and the catalogue with a form
 * per fault. The same board as scenarios and the control API (`faultsOf(lab)`, src/live/faults/); a refused
 * form is shown again with what was wrong, and nothing is injected.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Lab } from '../../lab/lab.ts';
import { faultsOf, type ActiveFault } from '../../live/faults/fault-board.ts';
import { FAULT_CATALOGUE } from '../../live/faults/fault-types.ts';
import { SimError } from '../../kernel/errors.ts';
import { html, join, type SafeHtml } from '../../kernel/html.ts';
import { formatMac } from '../../kernel/mac.ts';
import { type FaultFormState, type FormBody, formValues, labChoices, parseFaultForm, renderFaultCard } from './fault-form.ts';
import { labClockLine, labPage, labTime } from './lab-page.ts';

const PATH = '/lab/faults/';
const formBody = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
} as const;

const MAX_TARGETS_SHOWN = 6;

function targets(fault: ActiveFault): SafeHtml | string {
  const names = [
    ...(fault.site ? [`site ${fault.site}`] : []),
    ...fault.bases.map((mac) => formatMac(mac)),
    ...fault.handsets,
  ];
  if (names.length === 0) return '—';
  const shown = join(names.slice(0, MAX_TARGETS_SHOWN).map((n) => html`<code>${n}</code>`), ', ');
  return names.length > MAX_TARGETS_SHOWN ? html`${shown} and ${names.length - MAX_TARGETS_SHOWN} more` : shown;
}

function activeTable(lab: Lab): SafeHtml {
  const active = faultsOf(lab).list();
  if (active.length === 0) return html`<p id="no-active-faults">No fault is active: the lab behaves normally.</p>`;
  const rows = active.map(
    (f) => html`<tr><td><code>${f.id}</code></td><td>${f.title}</td><td>${f.summary}</td><td>${targets(f)}</td>
<td class="time">${labTime(f.since)}</td><td class="time">${f.until === null ? 'until undone' : labTime(f.until)}</td>
<td><form method="post" action="/lab/faults/undo"><input type="hidden" name="id" value="${f.id}"><button class="small" aria-label="Undo ${f.id}">Undo</button></form></td></tr>`,
  );
  return html`<table class="grid" id="active-faults"><thead><tr><th>Id</th><th>Fault</th><th>What it did</th><th>Targets</th><th>Since (lab time)</th><th>Clears by itself</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
<p>Undo puts back what the fault changed (power, network, settings, files). Active faults are kept in the lab file: a restart (even after a crash) has them back. Restoring a checkpoint clears these and puts back the faults the checkpoint was saved with.</p>`;
}

function faultsPage(lab: Lab, opts: { notice?: string | undefined; error?: string | undefined; form?: { type: string; state: FaultFormState } }): string {
  const choices = labChoices(lab);
  const cards = join(FAULT_CATALOGUE.map((info) => renderFaultCard(info, choices, opts.form?.type === info.type ? opts.form.state : undefined)), '\n');
  return labPage({
    title: 'Faults',
    path: PATH,
    notice: opts.notice,
    error: opts.error,
    body: html`${labClockLine(lab.clock)}
<section><h2>Active faults</h2>${activeTable(lab)}</section>
<section><h2>Inject a fault</h2><p>Each fault is reversible: Undo above, or let it clear by itself after a lab time you give.
The same faults are in scenario files (<code>fault:</code>) and the control API (<code>POST /api/faults</code>).</p>
<div class="fault-cards">${cards}</div></section>`,
  });
}

function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html').send(page);
}

export const faultsPagePlugin: FastifyPluginAsync = async (app) => {
  app.get('/lab/faults', { schema: { hide: true } }, async (_req, reply) => reply.redirect(PATH, 301));

  app.get<{ Querystring: { done?: string } }>(PATH, { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, 200, faultsPage(app.lab, { notice: req.query.done })),
  );

  app.post<{ Body: FormBody }>(PATH, { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const type = typeof req.body.type === 'string' ? req.body.type : '';
    const info = FAULT_CATALOGUE.find((f) => f.type === type);
    if (!info) return sendPage(reply, 400, faultsPage(app.lab, { error: `There is no fault "${type}": choose one from the catalogue below.` }));
    if (!info.available) return sendPage(reply, 501, faultsPage(app.lab, { error: `${info.title}: ${info.unavailableReason ?? 'unavailable'}` }));
    const parsed = parseFaultForm(info, req.body, app.lab);
    if (!parsed.ok) return sendPage(reply, 400, faultsPage(app.lab, { form: { type, state: parsed } }));
    let fault: ActiveFault;
    try {
      fault = faultsOf(app.lab).inject(parsed.request);
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      const state: FaultFormState = { values: formValues(req.body, info), errors: [err.message] };
      return sendPage(reply, err.statusCode, faultsPage(app.lab, { form: { type, state } }));
    }
    const until = fault.until === null ? 'Undo it below when you are done.' : `It clears by itself at ${labTime(fault.until)}.`;
    return reply.redirect(`${PATH}?done=${encodeURIComponent(`Injected ${fault.id}: ${fault.summary}. ${until}`)}`, 303);
  });

  app.post<{ Body: FormBody }>('/lab/faults/undo', { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const id = typeof req.body.id === 'string' ? req.body.id : '';
    try {
      const fault = faultsOf(app.lab).clear(id);
      return reply.redirect(`${PATH}?done=${encodeURIComponent(`Undone ${fault.id}: ${fault.title} is over.`)}`, 303);
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      return sendPage(reply, err.statusCode, faultsPage(app.lab, { error: `Fault "${id}" is not active (it may have cleared by itself or been undone already): nothing to undo.` }));
    }
  });
};

