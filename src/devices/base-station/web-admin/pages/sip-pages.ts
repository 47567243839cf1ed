/**
 * SIP → Servers and SIP → Extensions ([RTX] "Servers" and "Extensions"): the registrar/proxy the lines register to,
 * and one extension per handset. Extensions need a server first; extension numbers are unique. Nothing is saved
 * unless every field is valid; errors are listed at the top and beside the form, the values as typed kept.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import {
  EXTENSION_LABELS,
  removeExtension,
  removeSipServer,
  saveExtension,
  saveSipServer,
  SERVER_LABELS,
  SIP_TRANSPORTS,
  sipConfigOf,
  type SipExtensionInput,
  type SipServerInput,
} from '../../sip-config.ts';
import type { FieldError } from '../../../../kernel/result.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { html, type SafeHtml } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, redirectTo, sendPage } from '../page-context.ts';

const SERVER_FIELDS = ['address', 'port', 'transport', 'registrationExpiry', 'outboundProxy'] as const;
const EXTENSION_FIELDS = ['extension', 'authUser', 'password', 'displayName', 'serverId', 'handset'] as const;
const SERVER_DEFAULTS: SipServerInput = { address: '', port: '5060', transport: 'UDP', registrationExpiry: '3600', outboundProxy: '', acceptAllCertificates: 'no' };
const CERTIFICATE_CHOICES = [
  { value: 'no', label: 'No (only certificates of trusted CAs)' },
  { value: 'yes', label: 'Yes' },
] as const;

function field(name: string, label: string, value: string, options?: readonly { value: string; label: string }[]): SafeHtml {
  const input = options
    ? html`<select name="${name}" id="${name}">${options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`)}</select>`
    : html`<input name="${name}" id="${name}" value="${value}"${name === 'password' ? html` type="password"` : ''}>`;
  return html`<div class="field"><label for="${name}">${label}</label>${input}</div>`;
}

function errorNotice(errors: FieldError[]): Notice {
  return { kind: 'error', text: errors.map((e) => e.message).join(' ') };
}

function serversBody(base: BaseStation, typed: SipServerInput): SafeHtml {
  const config = sipConfigOf(base.flash);
  const rows = config.servers.map(
    (s) =>
      html`<tr id="server-${s.id}"><td>${s.id}</td><td>${s.address}</td><td>${s.port}</td><td>${s.transport}</td><td>${s.registrationExpiry}</td><td>${s.outboundProxy || '—'}</td><td>${s.transport === 'TLS' || s.transport === 'WSS' ? (s.acceptAllCertificates ? 'all accepted' : 'checked') : '—'}</td><td><button type="submit" name="remove" value="${s.id}" class="small">Delete</button></td></tr>`,
  );
  return html`<section class="panel"><h2>Servers</h2>${
    rows.length
      ? html`<form method="post" action="sip-servers/remove"><table class="grid" id="servers"><thead><tr><th>#</th><th>${SERVER_LABELS.address}</th><th>Port</th><th>Transport</th><th>Expiry (s)</th><th>Outbound proxy</th><th>Certificates</th><th></th></tr></thead><tbody>${rows}</tbody></table></form>`
      : html`<p class="empty" id="servers">No server defined. Add the registrar the extensions register to.</p>`
  }</section>
<form method="post" action="sip-servers" class="settings"><fieldset><legend>Add server</legend>
${field('address', SERVER_LABELS.address, typed.address)}
${field('port', SERVER_LABELS.port, typed.port)}
${field('transport', SERVER_LABELS.transport, typed.transport, SIP_TRANSPORTS.map((t) => ({ value: t, label: t })))}
${field('registrationExpiry', SERVER_LABELS.registrationExpiry, typed.registrationExpiry)}
${field('outboundProxy', SERVER_LABELS.outboundProxy, typed.outboundProxy)}
${field('acceptAllCertificates', SERVER_LABELS.acceptAllCertificates, typed.acceptAllCertificates ?? 'no', CERTIFICATE_CHOICES)}
</fieldset><div class="actions"><button type="submit" class="primary">Add</button></div></form>
<p class="muted">The lab's own SIP server is <code>sip.lab.test</code> (reached in the lab whatever the transport).</p>`;
}

function extensionsBody(base: BaseStation, typed: SipExtensionInput): SafeHtml {
  const config = sipConfigOf(base.flash);
  if (config.servers.length === 0) {
    return html`<p class="notice error" id="no-server">Define a server first: SIP → <a href="sip-servers">Servers</a>. Every extension registers to a server.</p>`;
  }
  const rows = config.extensions.map((e) => {
    const server = config.servers.find((s) => s.id === e.serverId);
    return html`<tr id="extension-${e.extension}"><td>${e.extension}</td><td>${e.authUser}</td><td>${e.displayName}</td><td>${server ? `${server.id}: ${server.address}` : '—'}</td><td>${e.handset ? html`<code>${e.handset}</code>` : '—'}</td><td><button type="submit" name="remove" value="${e.extension}" class="small">Delete</button></td></tr>`;
  });
  const handsets = [{ value: '', label: '(none)' }, ...base.flash.handsets.map((h) => ({ value: h.ipei, label: `${h.ipei} (slot ${h.slot})` }))];
  if (typed.handset && !handsets.some((h) => h.value === typed.handset)) handsets.push({ value: typed.handset, label: typed.handset });
  return html`<section class="panel"><h2>Extensions</h2>${
    rows.length
      ? html`<form method="post" action="sip-extensions/remove"><table class="grid" id="extensions"><thead><tr><th>Extension</th><th>${EXTENSION_LABELS.authUser}</th><th>Display name</th><th>Server</th><th>Handset</th><th></th></tr></thead><tbody>${rows}</tbody></table></form>`
      : html`<p class="empty" id="extensions">No extension defined.</p>`
  }</section>
<form method="post" action="sip-extensions" class="settings"><fieldset><legend>Add extension</legend>
${field('extension', EXTENSION_LABELS.extension, typed.extension)}
${field('authUser', EXTENSION_LABELS.authUser, typed.authUser)}
${field('password', EXTENSION_LABELS.password, '')}
${field('displayName', EXTENSION_LABELS.displayName, typed.displayName)}
${field('serverId', EXTENSION_LABELS.serverId, typed.serverId, config.servers.map((s) => ({ value: String(s.id), label: `${s.id}: ${s.address}` })))}
${field('handset', EXTENSION_LABELS.handset, typed.handset, handsets)}
</fieldset><div class="actions"><button type="submit" class="primary">Add</button></div></form>`;
}

function savedNotice(query: { saved?: string; removed?: string }): Notice[] {
  if (query.saved !== undefined) return [{ kind: 'ok', text: 'Settings saved' }];
  if (query.removed !== undefined) return [{ kind: 'ok', text: 'Deleted' }];
  return [];
}

export const sipPages: FastifyPluginAsync<PagePluginOptions> = async (app) => {
  app.get<{ Params: MacParams; Querystring: { saved?: string; removed?: string } }>('/:mac/sip-servers', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'sip-servers', body: serversBody(base, SERVER_DEFAULTS), notices: savedNotice(req.query) });
  });

  app.post<{ Params: MacParams }>('/:mac/sip-servers', async (req, reply) => {
    const base = baseOf(req);
    // Optional: a form from before the setting (or a script) leaves it out, and certificates are checked.
    const form = readForm(req.body, { required: SERVER_FIELDS, optional: ['acceptAllCertificates'] });
    const typed: SipServerInput = { ...form.values, ...(form.extra.acceptAllCertificates !== undefined ? { acceptAllCertificates: form.extra.acceptAllCertificates } : {}) };
    const outcome = form.problems.length ? { ok: false as const, errors: form.problems.map((message) => ({ field: 'form', message })) } : saveSipServer(base, typed);
    if (outcome.ok) return redirectTo(reply, 'sip-servers?saved=1');
    return sendPage(reply, { base, page: 'sip-servers', body: serversBody(base, { ...SERVER_DEFAULTS, ...typed }), notices: [errorNotice(outcome.errors)] }, 400);
  });

  app.post<{ Params: MacParams }>('/:mac/sip-servers/remove', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: ['remove'] });
    const outcome = form.problems.length ? { ok: false as const, errors: form.problems.map((message) => ({ field: 'form', message })) } : removeSipServer(base, Number(form.values.remove));
    if (outcome.ok) return redirectTo(reply, '../sip-servers?removed=1');
    return sendPage(reply, { base, page: 'sip-servers', body: serversBody(base, SERVER_DEFAULTS), notices: [errorNotice(outcome.errors)] }, 400);
  });

  const emptyExtension: SipExtensionInput = { extension: '', authUser: '', password: '', displayName: '', serverId: '', handset: '' };

  app.get<{ Params: MacParams; Querystring: { saved?: string; removed?: string } }>('/:mac/sip-extensions', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'sip-extensions', body: extensionsBody(base, emptyExtension), notices: savedNotice(req.query) });
  });

  app.post<{ Params: MacParams }>('/:mac/sip-extensions', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: EXTENSION_FIELDS });
    const outcome = form.problems.length ? { ok: false as const, errors: form.problems.map((message) => ({ field: 'form', message })) } : saveExtension(base, form.values);
    if (outcome.ok) return redirectTo(reply, 'sip-extensions?saved=1');
    return sendPage(reply, { base, page: 'sip-extensions', body: extensionsBody(base, { ...emptyExtension, ...form.values }), notices: [errorNotice(outcome.errors)] }, 400);
  });

  app.post<{ Params: MacParams }>('/:mac/sip-extensions/remove', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: ['remove'] });
    const outcome = form.problems.length ? { ok: false as const, errors: form.problems.map((message) => ({ field: 'form', message })) } : removeExtension(base, form.values.remove);
    if (outcome.ok) return redirectTo(reply, '../sip-extensions?removed=1');
    return sendPage(reply, { base, page: 'sip-extensions', body: extensionsBody(base, emptyExtension), notices: [errorNotice(outcome.errors)] }, 400);
  });
};
