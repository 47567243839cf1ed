/**
 * The admin password. Seed 000: at the first login (admin / admin) "you need to change the password" — until then
 * this is the only page (see password-gate.ts). Weak passwords are refused with the reason from the password policy
 * (src/devices/base-station/admin-password.ts). Once changed, the old password no longer logs in: the browser asks for the
 * new one at the next request.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { PASSWORD_RULE, passwordProblem } from '../../admin-password.ts';
import { ADMIN_USER } from '../auth.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { html } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { CHANGE_PASSWORD_PATH } from '../password-gate.ts';
import { type PagePluginOptions, sendPage } from '../page-context.ts';

const FIELDS = ['newPassword', 'confirmPassword'] as const;

function body(base: BaseStation, error?: { field: (typeof FIELDS)[number]; message: string }) {
  const forced = base.mustChangePassword;
  const field = (name: (typeof FIELDS)[number], label: string) =>
    html`<tr class="field${error?.field === name ? ' invalid' : ''}"><th scope="row"><label for="${name}">${label}</label></th>
<td class="value"><input type="password" id="${name}" name="${name}" autocomplete="new-password"${error?.field === name ? html` aria-invalid="true"` : ''}>${
      error?.field === name ? html`<div class="field-error" id="${name}-error">${error.message}</div>` : ''
    }</td></tr>`;
  return html`${forced ? html`<div class="notice info" role="status">The factory password must be changed before the base can be configured.</div>` : ''}
<form method="post" action="${CHANGE_PASSWORD_PATH}" class="settings"><section class="panel"><h2>Admin password</h2>
<table class="form"><tbody>
<tr><th scope="row">User name</th><td class="value"><code>${ADMIN_USER}</code></td></tr>
${field('newPassword', 'New password')}${field('confirmPassword', 'Confirm password')}
</tbody></table><p class="note">Password rule: ${PASSWORD_RULE}.</p></section>
<div class="actions"><button type="submit" class="primary">Change password</button></div></form>`;
}

const config = { reachableWithFactoryPassword: true };

export const changePasswordPage: FastifyPluginAsync<PagePluginOptions> = async (app) => {
  app.get<{ Params: MacParams }>(`/:mac/${CHANGE_PASSWORD_PATH}`, { config }, async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'change-password', body: body(base), menu: !base.mustChangePassword });
  });

  app.post<{ Params: MacParams }>(`/:mac/${CHANGE_PASSWORD_PATH}`, { config }, async (req, reply) => {
    const base = baseOf(req);
    const refuse = (field: (typeof FIELDS)[number], message: string) => {
      const notice: Notice = { kind: 'error', text: html`<strong>Password not changed</strong>: ${message}` };
      return sendPage(reply, { base, page: 'change-password', body: body(base, { field, message }), notices: [notice], menu: !base.mustChangePassword }, 400);
    };
    const form = readForm(req.body, { required: FIELDS });
    if (form.problems.length) return refuse('newPassword', form.problems.join(' '));
    const { newPassword, confirmPassword } = form.values;
    const problem = passwordProblem(newPassword);
    if (problem) return refuse('newPassword', problem);
    if (confirmPassword !== newPassword) return refuse('confirmPassword', 'The two passwords do not match.');
    if (!base.mustChangePassword && base.checkAdminPassword(newPassword)) {
      return refuse('newPassword', 'The new password must differ from the current one.');
    }
    base.setAdminPassword(newPassword);
    if (base.mustChangePassword || !base.checkAdminPassword(newPassword)) {
      throw new Error('the base did not store the new admin password');
    }
    return sendPage(reply, {
      base,
      page: 'change-password',
      menu: true,
      body: html`<div class="notice ok" role="status" id="password-changed">Password changed. Your browser now asks you to log in again: user <code>${ADMIN_USER}</code> with the new password.</div>
<p><a class="button" href="./">Continue to Home/Status</a></p>`,
    });
  });
};
