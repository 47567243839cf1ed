/**
 * System Management → Reboot. The two RTX buttons: REBOOT waits until calls and the firmware update end, FORCED
 * REBOOT restarts at once; and a factory reset, which asks for confirmation because it erases the settings, the
 * admin password and the handset registrations.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { PHASE_WORDS } from '../activity-words.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { html } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, sendPage } from '../page-context.ts';

export const REBOOT_REASON = 'REBOOT (web admin)';
export const FORCED_REBOOT_REASON = 'FORCED REBOOT (web admin)';

function body(base: BaseStation) {
  const s = base.status();
  return html`<section class="panel"><h2>Reboot</h2>
<table class="status"><tbody>
<tr><th scope="row">Active calls</th><td>${s.activeCalls}</td></tr>
<tr><th scope="row">Auto firmware update</th><td>${PHASE_WORDS[s.firmwareUpdate.phase]}</td></tr>
${s.rebootPending ? html`<tr id="reboot-pending"><th scope="row">Reboot pending</th><td>${s.rebootPending}: waiting until calls and the firmware update end</td></tr>` : ''}
</tbody></table>
<form method="post" action="reboot" class="reboot">
<div class="choice"><button type="submit" name="action" value="reboot">REBOOT</button>
<p>Reboots the base when it is idle: it waits until calls, directory access and a firmware update have ended.</p></div>
<div class="choice"><button type="submit" name="action" value="forced-reboot" class="danger">FORCED REBOOT</button>
<p>Reboots the base immediately. Calls in progress are dropped and handsets lose connectivity until the base is up again.</p></div>
</form></section>
<section class="panel"><h2>Factory reset</h2>
<form method="post" action="factory-reset" class="reboot">
<p>Returns every setting to its factory default, forgets the handset registrations and sets the admin password back to
<code>admin</code>. The firmware version is kept. The base reboots.</p>
<p><label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand that the configuration of this base is erased</label></p>
<button type="submit" class="danger">Factory reset</button>
</form></section>`;
}

function respond(base: BaseStation, notices: Notice[]) {
  return { base, page: 'reboot' as const, body: body(base), notices };
}

export const rebootPage: FastifyPluginAsync<PagePluginOptions> = async (app) => {
  app.get<{ Params: MacParams }>('/:mac/reboot', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, respond(base, []));
  });

  app.post<{ Params: MacParams }>('/:mac/reboot', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: ['action'] });
    const action = form.values.action;
    if (form.problems.length || (action !== 'reboot' && action !== 'forced-reboot')) {
      const text = form.problems.length ? form.problems.join(' ') : 'Choose REBOOT or FORCED REBOOT.';
      return sendPage(reply, respond(base, [{ kind: 'error', text }]), 400);
    }
    if (action === 'forced-reboot') {
      base.send({ type: 'FORCED_REBOOT', reason: FORCED_REBOOT_REASON });
      return sendPage(reply, respond(base, [{ kind: 'ok', text: 'FORCED REBOOT: the base is restarting now. The web admin answers again when it is up.' }]));
    }
    base.send({ type: 'REBOOT', reason: REBOOT_REASON });
    const text =
      base.state === 'rebooting'
        ? 'REBOOT: the base is restarting now. The web admin answers again when it is up.'
        : 'REBOOT requested: the base reboots as soon as calls and the firmware update have ended.';
    return sendPage(reply, respond(base, [{ kind: base.state === 'rebooting' ? 'ok' : 'info', text }]));
  });

  app.post<{ Params: MacParams }>('/:mac/factory-reset', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: [], optional: ['confirm'] });
    if (form.problems.length || form.extra.confirm !== 'yes') {
      const text = form.problems.length ? form.problems.join(' ') : 'Tick the confirmation to reset this base to factory defaults.';
      return sendPage(reply, respond(base, [{ kind: 'error', text }]), 400);
    }
    base.send({ type: 'FACTORY_RESET' });
    return sendPage(
      reply,
      respond(base, [{ kind: 'ok', text: 'Factory reset: the base is restarting with factory defaults. Log in again as admin / admin and change the password.' }]),
    );
  });
};
