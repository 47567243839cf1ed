/**
 * Teams devices → **Phones** (Actions → Provision devices, as in the guide) and **SIP devices**: the inventory of
 * devices on which a user has signed in at least once [seed 001], and each device's details with Actions → Sign out,
 * Sign in a user and Restart.
 */
import type { FastifyPluginAsync } from 'fastify';
import { html, join, type SafeHtml } from '../../../kernel/html.ts';
import type { DeviceView } from '../gateway.ts';
import { type AdminCenterPluginOptions, tenantPage } from './context.ts';
import { field, fields, type FormBody } from './form.ts';
import { banner, relative, when } from './layout.ts';
import { signInPane } from './provision-pages.ts';

function actionsMenu(items: SafeHtml): SafeHtml {
  return html`<details class="dropdown"><summary class="btn">Actions ▾</summary><div class="menu" role="menu">${items}</div></details>`;
}

const PROVISION_ITEM = html`<a role="menuitem" href="/devices/provision">Provision devices</a>`;

function userStatus(d: DeviceView): SafeHtml {
  return d.userStatus === 'Signed in' ? html`<span class="status on">Signed in</span>` : html`<span class="status off">Signed out</span>`;
}

export const devicePages: FastifyPluginAsync<AdminCenterPluginOptions> = async (app, { gateway }) => {
  app.get('/devices/phones', async (_req, reply) => {
    const devices = gateway.devices();
    const pending = devices.filter((d) => d.state === 'provisioned' || d.state === 'enrolled').length;
    const doc = tenantPage(gateway, {
      title: 'Phones',
      active: 'phones',
      crumbs: ['Teams devices', 'Phones'],
      body: html`<div class="head-row"><div class="grow"><h1>Phones</h1>
<p class="lead">Manage the Teams phones in your organization. SIP phones and DECT handsets signed in through the Teams SIP Gateway are listed under SIP devices.</p></div>
${actionsMenu(PROVISION_ITEM)}</div>
<div class="card summary"><div><div class="n">0</div><div class="l">Teams phones</div></div><div><div class="n">${pending}</div><div class="l">Devices being provisioned</div></div></div>
<div class="card"><table class="grid" aria-label="Phones"><thead><tr><th>Display name</th><th>Manufacturer</th><th>Model</th><th>Status</th></tr></thead>
<tbody><tr><td colspan="4" class="empty">No Teams phones. This lab's Rove DECT handsets are SIP devices: add them with Actions → Provision devices.</td></tr></tbody></table></div>`,
    });
    return reply.type('text/html; charset=utf-8').send(doc);
  });

  app.get<{ Querystring: { restarted?: string } }>('/devices/sip', async (req, reply) => {
    const inventory = gateway.devices().filter((d) => d.everSignedIn && d.state !== 'offboarded');
    const now = gateway.clockNow();
    const rows = inventory.map(
      (d) => html`<tr data-device="${d.hardwareId}"><td class="check"><input type="checkbox" name="device" value="${d.hardwareId}" aria-label="Select ${d.macAddress}"></td>
<td><a class="mono" href="/devices/sip/${d.hardwareId}">${d.macAddress}</a></td>
<td>${d.user?.displayName ?? d.lastUser?.displayName ?? '—'}</td><td>${d.user?.phoneNumber ?? '—'}</td>
<td>${userStatus(d)}</td><td>${d.location || '—'}</td><td>${d.region ?? '—'}</td>
<td>${d.lastContactAt === null ? '—' : relative(d.lastContactAt, now)}</td></tr>`,
    );
    const doc = tenantPage(gateway, {
      title: 'SIP devices',
      active: 'sip',
      crumbs: ['Teams devices', 'SIP devices'],
      body: html`<div class="head-row"><div class="grow"><h1>SIP devices</h1>
<p class="lead">SIP devices connected to Teams through the SIP Gateway. A device is listed after a user has signed in on it at least once.</p></div>
${actionsMenu(PROVISION_ITEM)}</div>
${req.query.restarted && banner('ok', 'Restart requested. The device restarts when it next hears from the SIP Gateway.')}
<div class="card summary"><div><div class="n">${inventory.length}</div><div class="l">SIP devices</div></div>
<div><div class="n">${inventory.filter((d) => d.state === 'signedIn').length}</div><div class="l">Signed in</div></div>
<div><div class="n">${inventory.filter((d) => d.state === 'signedOut').length}</div><div class="l">Signed out</div></div></div>
<div class="card"><form method="post" action="/devices/sip/restart">
<div class="commandbar"><button class="cmd" type="submit"${!inventory.length && html` disabled`}>⟳ Restart</button><span class="spacer"></span><span class="count">${inventory.length} item${inventory.length === 1 ? '' : 's'}</span></div>
<table class="grid" aria-label="SIP devices"><thead><tr><th class="check"></th><th>MAC address</th><th>User</th><th>Phone number</th><th>Device user status</th><th>Location</th><th>Region</th><th>Last contact</th></tr></thead>
<tbody>${rows.length ? join(rows, '\n') : html`<tr><td colspan="8" class="empty">No SIP devices yet. Devices are listed here after a user signs in on them.</td></tr>`}</tbody></table></form></div>`,
    });
    return reply.type('text/html; charset=utf-8').send(doc);
  });

  app.post<{ Body: FormBody }>('/devices/sip/restart', async (req, reply) => {
    const selected = fields(req.body, 'device');
    for (const id of selected) gateway.restart(id);
    return reply.redirect(`/devices/sip${selected.length ? '?restarted=1' : ''}`, 303);
  });

  app.get<{ Params: { hw: string }; Querystring: { pane?: string; done?: string } }>('/devices/sip/:hw', async (req, reply) => {
    const d = gateway.requireDevice(req.params.hw);
    const items = [
      ...(d.state === 'signedIn' ? [html`<button role="menuitem" form="act" name="action" value="sign-out">Sign out</button>`] : []),
      ...(d.state === 'signedOut' || d.state === 'enrolled' ? [html`<button role="menuitem" form="act" name="action" value="sign-in">Sign in a user</button>`] : []),
      ...(d.state === 'signedIn' || d.state === 'signedOut' ? [html`<button role="menuitem" form="act" name="action" value="restart">Restart</button>`] : []),
    ];
    const done =
      req.query.done === 'sign-out'
        ? banner('ok', 'The user was signed out. The device returns to Sign in.')
        : req.query.done === 'restart'
          ? banner('ok', 'Restart requested.')
          : '';
    const props: Array<[string, SafeHtml | string]> = [
      ['MAC address', html`<span class="mono">${d.macAddress}</span>${d.ipei && html` <span class="sim-note">(Rove handset IPEI ${d.ipei})</span>`}`],
      ['Device user status', d.userStatus ? userStatus(d) : d.list],
      ['User', d.user ? `${d.user.displayName} (${d.user.upn})` : '—'],
      ['Phone number', d.user?.phoneNumber ?? '—'],
      ['Location', d.location || '—'],
      ['Region', d.region ?? '—'],
      ['Language', d.language],
      ['Enrolled', when(d.enrolledAt)],
      ['Signed in', when(d.signedInAt)],
      ['Last contact', when(d.lastContactAt)],
      ['Policy sync due', when(d.policySyncDueAt)],
      ['Offboarding if disconnected until', when(d.offboardingDueAt)],
    ];
    const pane = req.query.pane === 'signin' ? signInPane(gateway, d, '/devicelogin') : undefined;
    const doc = tenantPage(gateway, {
      title: d.macAddress,
      active: 'sip',
      crumbs: ['Teams devices', 'SIP devices', d.macAddress],
      body: html`<div class="head-row"><div class="grow"><h1 class="mono">${d.macAddress}</h1><p class="lead">${d.location || 'SIP device'}</p></div>
${items.length > 0 && actionsMenu(join(items))}</div>
<form id="act" method="post" action="/devices/sip/${d.hardwareId}/action"></form>
${done}
<div class="card"><h2 style="margin-top:0">Details</h2><dl class="props">${props.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></div>
<div class="card"><h2 style="margin-top:0">History</h2><ul class="history">${d.history.map((h) => html`<li><time>${when(h.at)}</time>${h.text}</li>`)}</ul></div>`,
      ...(pane ? { pane } : {}),
    });
    return reply.type('text/html; charset=utf-8').send(doc);
  });

  app.post<{ Params: { hw: string }; Body: FormBody }>('/devices/sip/:hw/action', async (req, reply) => {
    const d = gateway.requireDevice(req.params.hw);
    const action = field(req.body, 'action');
    if (action === 'sign-out') gateway.signOut(d.hardwareId, 'admin-center');
    else if (action === 'restart') gateway.restart(d.hardwareId);
    else if (action === 'sign-in') {
      gateway.requestPairingCode(d.hardwareId, 'admin-center');
      return reply.redirect(`/devices/sip/${d.hardwareId}?pane=signin`, 303);
    } else return reply.redirect(`/devices/sip/${d.hardwareId}`, 303);
    return reply.redirect(`/devices/sip/${d.hardwareId}?done=${action}`, 303);
  });
};
