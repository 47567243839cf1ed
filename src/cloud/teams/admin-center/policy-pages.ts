/**
 * Voice → **Calling policies** with the setting "SIP devices can be used for calls" [seed 001], and Locations →
 * **Network topology** with the trusted IPs and the lab sites' public IPs (what bulk sign-in checks [seed 003]).
 */
import type { FastifyPluginAsync } from 'fastify';
import { ERR_CALL_REDIRECT_INVALID, ERR_POLICY_NOT_FOUND } from '../../../kernel/error-catalogue.ts';
import { html, join } from '../../../kernel/html.ts';
import { GLOBAL, isTrustedIp } from '../tenant/tenant-model.ts';
import { type AdminCenterPluginOptions, tenantPage } from './context.ts';
import { field, type FormBody } from './form.ts';
import { banner } from './layout.ts';

/** The label of `AllowSIPDevicesCalling` in the Teams admin center [seed 001]. */
export const SIP_DEVICES_SETTING = 'SIP devices can be used for calls';

function policyName(identity: string): string {
  return identity === GLOBAL ? 'Global (Org-wide default)' : identity;
}

export const policyPages: FastifyPluginAsync<AdminCenterPluginOptions> = async (app, { gateway }) => {
  app.get('/voice/calling-policies', async (_req, reply) => {
    const users = gateway.users();
    const rows = gateway.tenant.callingPolicies.map((p) => {
      const assigned = users.filter((u) => (u.callingPolicy ?? GLOBAL) === p.identity).length;
      return html`<tr><td><a href="/voice/calling-policies/${encodeURIComponent(p.identity)}">${policyName(p.identity)}</a></td><td>${p.description}</td>
<td>${p.allowSipDevicesCalling ? html`<span class="status on">On</span>` : html`<span class="status off">Off</span>`}</td><td>${assigned}</td></tr>`;
    });
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: 'Calling policies',
        active: 'calling-policies',
        crumbs: ['Voice', 'Calling policies'],
        body: html`<h1>Calling policies</h1>
<p class="lead">Calling policies control which calling features are available to users. To let users sign in on SIP devices, turn on "${SIP_DEVICES_SETTING}" in the policy assigned to them (PowerShell: AllowSIPDevicesCalling).</p>
<div class="card"><div class="commandbar"><strong>Manage policies</strong><span class="spacer"></span><span class="count">${gateway.tenant.callingPolicies.length} items</span></div>
<table class="grid" aria-label="Calling policies"><thead><tr><th>Name</th><th>Description</th><th>${SIP_DEVICES_SETTING}</th><th>Users assigned directly or by default</th></tr></thead><tbody>${join(rows, '\n')}</tbody></table></div>`,
      }),
    );
  });

  app.get<{ Params: { identity: string }; Querystring: { saved?: string } }>('/voice/calling-policies/:identity', async (req, reply) => {
    const p = gateway.tenant.callingPolicies.find((x) => x.identity === req.params.identity);
    if (!p) throw new ERR_POLICY_NOT_FOUND(req.params.identity);
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: policyName(p.identity),
        active: 'calling-policies',
        crumbs: ['Voice', 'Calling policies', policyName(p.identity)],
        body: html`<h1>${policyName(p.identity)}</h1>
${req.query.saved && banner('ok', 'Changes saved. Users can sign in on SIP devices according to the new setting; devices already signed in receive policy changes within one hour.')}
<form method="post" class="card">
<div class="field"><label for="description">Description</label><input type="text" id="description" name="description" value="${p.description}"></div>
<div class="field"><label class="toggle" for="sip"><input type="checkbox" role="switch" id="sip" name="allowSipDevicesCalling" value="on"${p.allowSipDevicesCalling && html` checked`}> <span>${SIP_DEVICES_SETTING}</span></label>
<div class="hint">AllowSIPDevicesCalling. Default: Off.</div></div>
<div class="field"><label for="redirect">Call redirection (AllowCallRedirect)</label><select id="redirect" name="allowCallRedirect">
${(['Enabled', 'Disabled', 'UserOverride'] as const).map((v) => html`<option${p.allowCallRedirect === v && html` selected`}>${v}</option>`)}</select></div>
<div style="display:flex;gap:8px"><button class="btn primary" type="submit">Save</button><a class="btn" href="/voice/calling-policies">Cancel</a></div>
</form>`,
      }),
    );
  });

  app.post<{ Params: { identity: string }; Body: FormBody }>('/voice/calling-policies/:identity', async (req, reply) => {
    const redirect = field(req.body, 'allowCallRedirect');
    if (redirect !== '' && redirect !== 'Enabled' && redirect !== 'Disabled' && redirect !== 'UserOverride') {
      // A value the select never offers: refused and said, not silently dropped while the page reports "saved".
      throw new ERR_CALL_REDIRECT_INVALID(redirect);
    }
    gateway.setCallingPolicy(req.params.identity, {
      description: field(req.body, 'description'),
      allowSipDevicesCalling: field(req.body, 'allowSipDevicesCalling') === 'on',
      ...(redirect === 'Enabled' || redirect === 'Disabled' || redirect === 'UserOverride' ? { allowCallRedirect: redirect } : {}),
    });
    return reply.redirect(`/voice/calling-policies/${encodeURIComponent(req.params.identity)}?saved=1`, 303);
  });

  app.get<{ Querystring: { saved?: string } }>('/locations/network-topology', async (req, reply) => {
    const t = gateway.tenant;
    const sites = gateway
      .sites()
      .map(
        (s) =>
          html`<tr><td>${s.name}</td><td class="mono">${s.publicIp}</td><td>${isTrustedIp(t.network.trustedIps, s.publicIp) ? html`<span class="status on">Trusted</span>` : html`<span class="status bad">Not trusted</span>`}</td></tr>`,
      );
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: 'Network topology',
        active: 'network',
        crumbs: ['Locations', 'Network topology'],
        body: html`<h1>Network topology</h1>
<p class="lead">Trusted IPs are the public IPv4 addresses your organization uses to reach the internet. Bulk sign-in of SIP devices requires the device's public IP to be a trusted IP.</p>
${req.query.saved && banner('ok', 'Trusted IPs saved.')}
<div class="card"><h2 style="margin-top:0">Trusted IPs</h2><form method="post">
<div class="field"><label for="trusted">One IPv4 address or range per line</label><textarea id="trusted" name="trustedIps" rows="4" class="text" style="width:100%;font-family:Consolas,monospace">${t.network.trustedIps.join('\n')}</textarea></div>
<button class="btn primary" type="submit">Save</button></form></div>
<div class="card"><h2 style="margin-top:0">Lab sites</h2><p class="sim-note">The public IP of each site of the lab, as the SIP Gateway sees it.</p>
<table class="grid" aria-label="Lab sites"><thead><tr><th>Site</th><th>Public IP</th><th>Trusted IP</th></tr></thead><tbody>${sites}</tbody></table>
<p class="sim-note">TeamsSipDevicesConfiguration (Global): BulkSignIn <strong>${t.sipDevicesConfiguration.bulkSignIn}</strong></p></div>`,
      }),
    );
  });

  app.post<{ Body: FormBody }>('/locations/network-topology', async (req, reply) => {
    const lines = field(req.body, 'trustedIps').split(/[\r\n,]+/).map((l) => l.trim()).filter((l) => l !== '');
    gateway.setTrustedIps(lines);
    return reply.redirect('/locations/network-topology?saved=1', 303);
  });
};
