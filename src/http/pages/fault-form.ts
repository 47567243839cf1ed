/**
 * The form of one fault type on the faults page: which fields it shows (from the catalogue's `takes`), the lab's
 * bases, handsets and sites to choose from, and the server-side check that turns a posted form into a
 * {@link FaultRequest} — or into messages that say which field is wrong and what to enter instead.
 *
 * The page is stricter than the control API in one place: a fault that targets bases needs them chosen (the API
 * takes "no bases" as "every base", too easy to do by accident from a form).
 */
import type { Lab } from '../../lab/lab.ts';
import { checkHttpUrl } from '../../devices/base-station/parameters.ts';
import type { FaultRequest } from '../../live/faults/fault-board.ts';
import type { FaultInfo } from '../../live/faults/fault-types.ts';
import { DURATION_HINT, parseDuration } from '../../rehearsal/duration.ts';
import { html, join, type SafeHtml } from '../../kernel/html.ts';
import { formatMac, normalizeMac } from '../../kernel/mac.ts';
import { isIpv4 } from '../../cloud/teams/tenant/tenant-model.ts';

/** A posted form: one string per field, an array when a field (a multi-select) repeats. */
export type FormBody = Record<string, string | string[] | undefined>;

/** What a person entered, kept to show the form again as it was. */
export interface FaultFormValues {
  bases: string[];
  handsets: string[];
  site: string;
  mode: string;
  status: string;
  file: string;
  configUrl: string;
  publicIp: string;
  duration: string;
  /** Fields of the catalogue this page has no special form for (text, passed on to the board as they are). */
  other: Record<string, string>;
}

export type FaultFormResult = { ok: true; request: FaultRequest } | { ok: false; errors: string[]; values: FaultFormValues };

/** Bases, handsets and sites of the lab, gathered once per page (cheap getters only: 254 bases, 1,000 handsets). */
export interface LabChoices {
  bases: Array<{ mac: string; label: string }>;
  handsets: Array<{ ipei: string; label: string }>;
  /** Radio sites the bases are placed on. */
  radioSites: string[];
  /** Sites the Teams gateway knows, with the public IP it sees for each. */
  teamsSites: Array<{ id: string; label: string }>;
}

export function labChoices(lab: Lab): LabChoices {
  const radioSites = new Set<string>();
  const bases = [...lab.bases.values()].map((b) => {
    const site = lab.siteOfBase(b.mac);
    radioSites.add(site);
    return { mac: b.mac, label: `${formatMac(b.mac)} · Rove ${b.flash.model} · site ${site} · ${b.state}` };
  });
  const handsets = [...lab.handsets.values()].map((h) => ({ ipei: h.ipei, label: `${h.ipei} · ${h.model} · ${h.state}` }));
  const teamsSites = lab.teams.sites().map((s) => ({ id: s.id, label: `${s.id} · ${s.name} · ${s.publicIp}` }));
  return { bases, handsets, radioSites: [...radioSites].sort(), teamsSites };
}

const EMPTY: FaultFormValues = { bases: [], handsets: [], site: '', mode: 'error', status: '', file: '', configUrl: '', publicIp: '', duration: '', other: {} };

/** Fields with a form of their own below; any other field a fault takes gets a text input. */
const KNOWN_FIELDS = new Set(['bases', 'handsets', 'site', 'mode', 'status', 'file', 'configUrl', 'publicIp']);
/** Labels and hints of other fields the catalogue names (`sip-server`'s server and region). */
const OTHER_FIELDS: Record<string, { label: string; placeholder: string }> = {
  server: { label: 'SIP server', placeholder: 'lab, teams or a registrar host; empty: all' },
  region: { label: 'Teams region', placeholder: 'NOAM, EMEA or APAC; empty: all' },
  during: { label: 'During the firmware update', placeholder: 'download or install; empty: at once' },
};

function otherFields(info: FaultInfo): string[] {
  return info.takes.filter((t) => !KNOWN_FIELDS.has(t));
}

function otherLabel(name: string): string {
  return OTHER_FIELDS[name]?.label ?? name.charAt(0).toUpperCase() + name.slice(1);
}

/** Values of one field: a multi-select posts one value per chosen option; a typed list may use commas or spaces. */
function many(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.flatMap((v) => v.split(/[\s,;]+/)).filter((v) => v !== '');
}

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/** The values a posted form carries for a fault (fields the fault does not take are ignored). */
export function formValues(body: FormBody, info?: FaultInfo): FaultFormValues {
  const other: Record<string, string> = {};
  for (const name of info ? otherFields(info) : []) other[name] = one(body[name]);
  return {
    bases: many(body.bases),
    handsets: many(body.handsets),
    site: one(body.site),
    mode: one(body.mode) || 'error',
    status: one(body.status),
    file: one(body.file),
    configUrl: one(body.configUrl),
    publicIp: one(body.publicIp),
    duration: one(body.duration),
    other,
  };
}

/** Checks every field of a posted fault form against the lab; a request only when all are right. */
export function parseFaultForm(info: FaultInfo, body: FormBody, lab: Lab): FaultFormResult {
  const values = formValues(body, info);
  const takes = new Set(info.takes);
  const errors: string[] = [];
  const request: FaultRequest = { type: info.type };

  if (takes.has('bases') && values.bases.length > 0) {
    const macs: string[] = [];
    for (const b of values.bases) {
      const mac = normalizeMac(b);
      if (!mac) errors.push(`Bases: "${b}" is not a MAC address (12 hex digits, e.g. 00:04:F2:A0:00:01).`);
      else if (!lab.bases.has(mac)) errors.push(`Bases: there is no base ${formatMac(mac)} in this lab. Choose one from the list (reload the page if the lab changed).`);
      else macs.push(mac);
    }
    request.bases = [...new Set(macs)];
  }
  if (takes.has('handsets')) {
    const ipeis: string[] = [];
    for (const i of values.handsets) {
      const handset = lab.getHandset(i);
      if (!handset) errors.push(`Handsets: there is no handset with IPEI "${i}" in this lab. Choose one from the list (reload the page if the lab changed).`);
      else ipeis.push(handset.ipei);
    }
    if (values.handsets.length === 0) errors.push('Handsets: choose at least one handset (Ctrl-click or Shift-click to choose several).');
    request.handsets = [...new Set(ipeis)];
  }
  if (takes.has('site') && values.site !== '') {
    const known = info.type === 'untrusted-public-ip' ? lab.teams.sites().map((s) => s.id) : labRadioSites(lab);
    if (!known.includes(values.site)) errors.push(`Site: there is no site "${values.site}" in this lab. Choose one of: ${known.join(', ') || 'none'}.`);
    else request.site = values.site;
  }
  if (takes.has('bases') && values.bases.length === 0) {
    if (info.type === 'site-network-loss') {
      if (values.site === '') errors.push('Site or bases: choose a site, or choose the bases that lose the network.');
    } else if (info.type !== 'provisioning-server') {
      errors.push('Bases: choose at least one base (Ctrl-click or Shift-click to choose several).');
    }
  }
  if (info.type === 'untrusted-public-ip' && values.site === '') errors.push('Site: choose the site whose public IP changes.');
  if (takes.has('mode')) {
    if (values.mode !== 'error' && values.mode !== 'timeout') errors.push(`Mode: "${values.mode}" is neither error nor timeout; choose one of them.`);
    else request.mode = values.mode;
  }
  if (takes.has('status') && values.status !== '') {
    const status = /^\d{3}$/.test(values.status) ? Number(values.status) : NaN;
    if (!(status >= 500 && status <= 599)) errors.push(`HTTP status: "${values.status}" is not a status from 500 to 599. Enter e.g. 503, or leave it empty for 503.`);
    else request.status = status;
  }
  if (takes.has('file')) {
    if (values.file === '') errors.push('File: enter the file the firmware server loses, e.g. RoveB4_v8003_b0009.fwu (or a full path such as /voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu).');
    else if (!/^[A-Za-z0-9._~\-/%]{1,200}$/.test(values.file) || values.file.split('/').includes('..')) {
      errors.push(`File: "${values.file}" is not a file name or path (letters, digits and . _ ~ - / %, no ..). Enter e.g. RoveB4_v8003_b0009.fwu.`);
    } else request.file = values.file;
  }
  if (takes.has('configUrl') && values.configUrl !== '') {
    const problem = checkHttpUrl(values.configUrl, { allowPlaceholders: true });
    if (problem) errors.push(`ConfigURL: ${problem}. Enter e.g. http://emea.ipp.sdg.teams.microsfot.com/00\${IPEI}.cfg, or leave it empty for the Teams URL with a typo.`);
    else request.configUrl = values.configUrl;
  }
  if (takes.has('publicIp') && values.publicIp !== '') {
    if (!isIpv4(values.publicIp)) errors.push(`Public IP: "${values.publicIp}" is not an IPv4 address. Enter e.g. 192.0.2.1, or leave it empty for 192.0.2.<n>.`);
    else request.publicIp = values.publicIp;
  }
  for (const [name, value] of Object.entries(values.other)) {
    if (value === '') continue;
    // The board checks what the value means (and its refusal is shown); here only that it is a short line of text.
    if (value.length > 200 || /[\u0000-\u001f]/.test(value)) errors.push(`${otherLabel(name)}: enter a single line of at most 200 characters.`);
    else (request as unknown as Record<string, string>)[name] = value;
  }
  if (values.duration !== '') {
    const ms = parseDuration(values.duration);
    if (ms === undefined || ms <= 0) errors.push(`Clear by itself after: "${values.duration}" is not a duration (${DURATION_HINT}). Leave it empty to keep the fault until you undo it.`);
    else request.durationMs = ms;
  }
  return errors.length ? { ok: false, errors, values } : { ok: true, request };
}

function labRadioSites(lab: Lab): string[] {
  return [...new Set([...lab.bases.keys()].map((mac) => lab.siteOfBase(mac)))];
}

/** Shown again after a refused inject: what was entered and why it was refused. */
export interface FaultFormState {
  values: FaultFormValues;
  errors: string[];
}

/** One fault of the catalogue: what it does, and its form (or, when unavailable, why not). */
export function renderFaultCard(info: FaultInfo, choices: LabChoices, state?: FaultFormState): SafeHtml {
  const head = html`<h3>${info.title}</h3><p class="fault-type"><code>${info.type}</code></p><p>${info.description}</p>`;
  if (!info.available) {
    return html`<section class="fault-card unavailable" id="fault-${info.type}" aria-disabled="true">${head}
<p class="reason">Unavailable: ${info.unavailableReason ?? 'not in this version'}</p>
<p><button type="button" disabled>Inject</button></p></section>`;
  }
  const v = state?.values ?? EMPTY;
  const id = (field: string) => `${info.type}-${field}`;
  const fields: SafeHtml[] = [];
  const takes = new Set(info.takes);
  if (takes.has('site')) {
    const options = info.type === 'untrusted-public-ip' ? choices.teamsSites : choices.radioSites.map((s) => ({ id: s, label: s }));
    const none = info.type !== 'untrusted-public-ip' && html`<option value="">${info.type === 'provisioning-server' ? '— every site —' : '— none (use the bases) —'}</option>`;
    fields.push(
      field(id('site'), 'Site', html`<select id="${id('site')}" name="site">${none}${options.map((o) => option(o.id, o.label, v.site === o.id))}</select>`),
    );
  }
  if (takes.has('bases')) {
    const hint = info.type === 'provisioning-server' ? 'none chosen: every base' : info.type === 'site-network-loss' ? 'or a site above' : 'Ctrl-click for several';
    fields.push(field(id('bases'), 'Bases', multiSelect(id('bases'), 'bases', choices.bases.map((b) => [b.mac, b.label]), v.bases), hint));
  }
  if (takes.has('handsets')) {
    fields.push(field(id('handsets'), 'Handsets', multiSelect(id('handsets'), 'handsets', choices.handsets.map((h) => [h.ipei, h.label]), v.handsets), 'Ctrl-click for several'));
  }
  if (takes.has('mode')) {
    fields.push(field(id('mode'), 'Mode', html`<select id="${id('mode')}" name="mode">${option('error', 'error: HTTP 5xx', v.mode === 'error')}${option('timeout', 'timeout: no answer', v.mode === 'timeout')}</select>`));
  }
  if (takes.has('status')) fields.push(field(id('status'), 'HTTP status', input(id('status'), 'status', v.status, '503', 'numeric'), '500 to 599, for mode error'));
  if (takes.has('file')) fields.push(field(id('file'), 'File', input(id('file'), 'file', v.file, 'RoveB4_v8003_b0009.fwu'), 'a name or a full path'));
  if (takes.has('configUrl')) fields.push(field(id('configUrl'), 'ConfigURL', input(id('configUrl'), 'configUrl', v.configUrl, 'empty: the Teams URL with a typo in the host')));
  if (takes.has('publicIp')) fields.push(field(id('publicIp'), 'Public IP', input(id('publicIp'), 'publicIp', v.publicIp, 'empty: 192.0.2.<n>')));
  for (const name of otherFields(info)) {
    fields.push(field(id(name), otherLabel(name), input(id(name), name, v.other[name] ?? '', OTHER_FIELDS[name]?.placeholder ?? 'optional')));
  }
  fields.push(field(id('duration'), 'Clear by itself after', input(id('duration'), 'duration', v.duration, `optional, ${DURATION_HINT}`), 'lab time'));
  const errors = !!state?.errors.length && html`<div class="notice error" role="alert">Nothing was injected:<ul>${state.errors.map((e) => html`<li>${e}</li>`)}</ul></div>`;
  return html`<section class="fault-card" id="fault-${info.type}">${head}${errors}
<form method="post" action="/lab/faults/#fault-${info.type}"><input type="hidden" name="type" value="${info.type}">
${join(fields, '\n')}
<p><button class="primary" name="inject" value="${info.type}">Inject</button></p></form></section>`;
}

function field(id: string, label: string, control: SafeHtml, hint?: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>${control}${hint && html`<small>${hint}</small>`}</div>`;
}

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected && html` selected`}>${label}</option>`;
}

function multiSelect(id: string, name: string, options: Array<[string, string]>, chosen: string[]): SafeHtml {
  const set = new Set(chosen);
  const size = Math.min(6, Math.max(2, options.length));
  return html`<select id="${id}" name="${name}" multiple size="${size}">${options.map(([value, label]) => option(value, label, set.has(value)))}</select>`;
}

function input(id: string, name: string, value: string, placeholder: string, mode?: string): SafeHtml {
  return html`<input id="${id}" name="${name}" value="${value}" placeholder="${placeholder}"${mode && html` inputmode="${mode}"`}>`;
}
