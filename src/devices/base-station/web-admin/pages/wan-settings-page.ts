/**
 * System Management → WAN settings: "the correct time zone and ... the NTP service if required" (seed 000). The time
 * zone is a select of the zones the runtime knows; the web admin shows every time in it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { type ParameterSection, sectionById, timeZones } from '../../parameters.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { errorSummary, type FormLook, renderSection } from '../form-rendering.ts';
import { html } from '../../../../kernel/html.ts';
import { type PagePluginOptions, redirectTo, sendPage, timeAt } from '../page-context.ts';
import { saveSettingsForm, savedFormState, type SettingsFormState } from '../settings-form.ts';

const time = sectionById('wan-settings')!;

/** The Time section with the time zone offered as a select. */
export const WAN_SECTIONS: readonly ParameterSection[] = [
  { ...time, params: time.params.map((p) => (p.key === 'timeZone' ? { ...p, options: timeZones() } : p)) },
];

function body(base: BaseStation, state: SettingsFormState, now: number, look: FormLook) {
  return html`<p>Current time of the base: <strong class="time" id="base-time">${timeAt(base, now)}</strong></p>
<form method="post" action="wan-settings" class="settings">
${WAN_SECTIONS.map((s) => renderSection(s, state, look))}
<div class="actions"><button type="submit" class="primary">Save</button></div>
</form>`;
}

export const wanSettingsPage: FastifyPluginAsync<PagePluginOptions> = async (app, { lab, training }) => {
  const look: FormLook = { hints: !training };
  app.get<{ Params: MacParams; Querystring: { saved?: string } }>('/:mac/wan-settings', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, {
      base,
      page: 'wan-settings',
      body: body(base, savedFormState(base), lab.clock.now(), look),
      notices: req.query.saved !== undefined ? [{ kind: 'ok', text: 'Settings saved' }] : [],
    });
  });

  app.post<{ Params: MacParams }>('/:mac/wan-settings', async (req, reply) => {
    const base = baseOf(req);
    const outcome = saveSettingsForm(base, WAN_SECTIONS, req.body);
    if (outcome.ok) return redirectTo(reply, 'wan-settings?saved=1');
    const summary = errorSummary(WAN_SECTIONS, outcome.state);
    return sendPage(reply, { base, page: 'wan-settings', body: body(base, outcome.state, lab.clock.now(), look), notices: summary ? [summary] : [] }, 400);
  });
};
