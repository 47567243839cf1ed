/**
 * **Users**: the tenant's users with what decides whether they can sign in on a SIP device (phone number, licence,
 * calling policy, IP phone policy, MFA, password options), and a page per user to fix them.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ERR_USER_NOT_FOUND } from '../../../kernel/error-catalogue.ts';
import { html, join } from '../../../kernel/html.ts';
import { signInProblems } from '../tenant/sign-in-checks.ts';
import { GLOBAL, LICENCE_NAMES, type Licence } from '../tenant/tenant-model.ts';
import { type AdminCenterPluginOptions, tenantPage } from './context.ts';
import { field, type FormBody } from './form.ts';
import { banner } from './layout.ts';

export const userPages: FastifyPluginAsync<AdminCenterPluginOptions> = async (app, { gateway, training = false }) => {
  app.get('/users', async (_req, reply) => {
    const rows = gateway.users().map((u) => {
      const problems = signInProblems(gateway.tenant, u, 'interactive');
      return html`<tr><td><a href="/users/${encodeURIComponent(u.upn)}">${u.displayName}</a></td><td>${u.upn}</td>
<td>${u.phoneNumber ?? '—'}</td><td>${u.licence ?? 'None'}</td><td>${u.callingPolicy ?? GLOBAL}</td>
<td>${u.ipPhonePolicy ?? GLOBAL}</td><td>${u.mfa ? 'On' : 'Off'}</td>
<td>${problems.length ? html`<span class="status bad">${problems.map((p) => p.message).join(' ')}</span>` : html`<span class="status on">Ready</span>`}</td></tr>`;
    });
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: 'Manage users',
        active: 'users',
        crumbs: ['Users', 'Manage users'],
        body: html`<h1>Manage users</h1>
<p class="lead">The users of ${gateway.tenant.organizationName}. The last column says whether a user can be signed in on a SIP device, and if not, why.</p>
<div class="card"><table class="grid" aria-label="Users"><thead><tr><th>Display name</th><th>Username</th><th>Phone number</th><th>Licence</th><th>Calling policy</th><th>IP phone policy</th><th>MFA</th><th>SIP device sign-in</th></tr></thead>
<tbody>${join(rows, '\n')}</tbody></table></div>`,
      }),
    );
  });

  app.get<{ Params: { upn: string }; Querystring: { saved?: string } }>('/users/:upn', async (req, reply) => {
    const u = gateway.user(req.params.upn);
    if (!u) throw new ERR_USER_NOT_FOUND(req.params.upn);
    const t = gateway.tenant;
    const problems = signInProblems(t, u, 'interactive');
    const bulk = signInProblems(t, u, 'bulk').filter((p) => !problems.some((q) => q.code === p.code));
    const select = (name: string, options: string[], value: string) =>
      html`<select id="${name}" name="${name}">${options.map((o) => html`<option${o === value && html` selected`}>${o}</option>`)}</select>`;
    const check = (name: string, label: string, on: boolean) =>
      html`<div class="field"><label><input type="checkbox" name="${name}" value="on"${on && html` checked`}> ${label}</label></div>`;
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: u.displayName,
        active: 'users',
        crumbs: ['Users', 'Manage users', u.displayName],
        // The user's note is the trainer's (why the lab set the user up so): in training it would give the answer.
        body: html`<h1>${u.displayName}</h1><p class="lead">${u.upn}${!training && u.note && ` — ${u.note}`}</p>
${req.query.saved && banner('ok', 'Changes saved.')}
${problems.length ? banner('warn', html`<div><strong>This user cannot be signed in on a SIP device:</strong><ul>${problems.map((p) => html`<li>${p.message} ${p.fix}</li>`)}</ul></div>`) : banner('ok', 'This user can be signed in on a SIP device.')}
${!!bulk.length && banner('info', html`<div><strong>Not ready for bulk sign-in:</strong><ul>${bulk.map((p) => html`<li>${p.message} ${p.fix}</li>`)}</ul></div>`)}
<form method="post" class="card">
<div class="field"><label for="displayName">Display name</label><input type="text" id="displayName" name="displayName" value="${u.displayName}"></div>
<div class="field"><label for="phoneNumber">Phone number</label><input type="text" id="phoneNumber" name="phoneNumber" value="${u.phoneNumber ?? ''}" placeholder="+14255550100"><div class="hint">E.164; leave empty for no phone number.</div></div>
<div class="field"><label for="licence">Licence</label>${select('licence', ['None', ...LICENCE_NAMES], u.licence ?? 'None')}</div>
<div class="field"><label for="callingPolicy">Calling policy</label>${select('callingPolicy', t.callingPolicies.map((p) => p.identity), u.callingPolicy ?? GLOBAL)}</div>
<div class="field"><label for="ipPhonePolicy">IP phone policy</label>${select('ipPhonePolicy', t.ipPhonePolicies.map((p) => p.identity), u.ipPhonePolicy ?? GLOBAL)}</div>
${check('mfa', 'Multifactor authentication (MFA)', u.mfa)}
${check('mustChangeAtNextLogin', 'User must change password at next login', u.password.mustChangeAtNextLogin)}
${check('cannotChange', "User's password can't be changed", u.password.cannotChange)}
<div class="field"><label for="minimumAgeDays">Minimum password age (days)</label><input type="text" id="minimumAgeDays" name="minimumAgeDays" value="${u.password.minimumAgeDays}"></div>
<div style="display:flex;gap:8px"><button class="btn primary" type="submit">Save</button><a class="btn" href="/users">Cancel</a></div>
</form>`,
      }),
    );
  });

  app.post<{ Params: { upn: string }; Body: FormBody }>('/users/:upn', async (req, reply) => {
    const b = req.body;
    const licence = field(b, 'licence');
    const age = Number(field(b, 'minimumAgeDays') || '0');
    const u = gateway.updateUser(req.params.upn, {
      displayName: field(b, 'displayName'),
      phoneNumber: field(b, 'phoneNumber').trim() || null,
      licence: licence === 'None' || licence === '' ? null : (licence as Licence),
      callingPolicy: field(b, 'callingPolicy') || null,
      ipPhonePolicy: field(b, 'ipPhonePolicy') || null,
      mfa: field(b, 'mfa') === 'on',
      password: { mustChangeAtNextLogin: field(b, 'mustChangeAtNextLogin') === 'on', cannotChange: field(b, 'cannotChange') === 'on', minimumAgeDays: age },
    });
    return reply.redirect(`/users/${encodeURIComponent(u.upn)}?saved=1`, 303);
  });
};
