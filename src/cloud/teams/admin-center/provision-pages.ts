/**
 * Teams devices → Phones / SIP devices → Actions → **Provision devices** [seed 000, 002, MS]: the tabs **Waiting on
 * activation** (Add MAC addresses, Upload MAC addresses, Generate verification code) and **Waiting for sign in**
 * (Sign in a user: authentication URL and pairing code).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { html, join, type SafeHtml } from '../../../kernel/html.ts';
import { parseProvisioningCsv, provisioningTemplate, TEMPLATE_FILE_NAME } from './csv-upload.ts';
import type { DeviceView, TeamsGateway } from '../gateway.ts';
import { DEVICE_LOGIN_URL } from '../provisioning/provisioning-file.ts';
import { type AdminCenterPluginOptions, tenantPage } from './context.ts';
import { field, fields, type FormBody } from './form.ts';
import { banner, relative, when } from './layout.ts';

type Tab = 'activation' | 'signin';
type RowProblem = { row: number; macAddress?: string; message: string };

interface ProvisionView {
  tab: Tab;
  banners?: SafeHtml[];
  pane?: SafeHtml;
}

const BASE = '/devices/provision';

/** Microsoft's note in the Sign in a user window [seed 002]. */
export const REMOTE_SIGN_IN_NOTE =
  'Note: A device that doesn’t have a user logged in can only be signed in as a shared device, like a conference phone or common area devices that are IP phones. Remote sign in doesn’t support personal user credentials. All device user accounts must be created in Azure Active Directory.';

/** The simulator's lead note on Rove hardware ids, hidden in training mode (it is the answer to a task). */
const ROVE_MAC_NOTE = 'For a Poly Rove DECT handset, the MAC address is "00" followed by the handset\'s IPEI.';

export const CODE_VALIDITY_MESSAGE = 'The verification code is valid for 24 hours.';

function render(gateway: TeamsGateway, training: boolean, v: ProvisionView): string {
  const devices = gateway.devices();
  const waitingActivation = devices.filter((d) => d.state === 'provisioned');
  const waitingSignIn = devices.filter((d) => d.state === 'enrolled');
  const now = gateway.clockNow();
  const tabs = html`<nav class="tabs" role="tablist">
  <a href="${BASE}?tab=activation" role="tab" class="${v.tab === 'activation' ? 'active' : ''}" aria-selected="${String(v.tab === 'activation')}">Waiting on activation</a>
  <a href="${BASE}?tab=signin" role="tab" class="${v.tab === 'signin' ? 'active' : ''}" aria-selected="${String(v.tab === 'signin')}">Waiting for sign in</a>
</nav>`;
  const body =
    v.tab === 'activation'
      ? html`<form method="post" action="${BASE}/generate-code" id="activation">
<div class="commandbar">
  <a class="cmd" href="${BASE}?tab=activation&amp;pane=add"><span class="plus" aria-hidden="true">+</span> Add</a>
  <a class="cmd" href="${BASE}?tab=activation&amp;pane=upload"><span aria-hidden="true">↑</span> Upload MAC addresses</a>
  <button class="cmd" type="submit"${!waitingActivation.length && html` disabled`}>Generate verification code</button>
  <span class="spacer"></span><span class="count">${waitingActivation.length} item${waitingActivation.length === 1 ? '' : 's'}</span>
</div>
<table class="grid" aria-label="Waiting on activation"><thead><tr><th class="check"></th><th>MAC address</th><th>Location</th><th>Verification code</th><th>Code expires</th><th>Added</th></tr></thead><tbody>
${
  waitingActivation.length
    ? join(
        waitingActivation.map((d) => activationRow(d, now)),
        '\n',
      )
    : html`<tr><td colspan="6" class="empty">No devices are waiting on activation. Select Add or Upload MAC addresses.</td></tr>`
}
</tbody></table></form>`
      : html`<form method="post" action="${BASE}/sign-in" id="signin">
<div class="commandbar">
  <button class="cmd" type="submit"${!waitingSignIn.length && html` disabled`}>Sign in a user</button>
  <span class="spacer"></span><span class="count">${waitingSignIn.length} item${waitingSignIn.length === 1 ? '' : 's'}</span>
</div>
<table class="grid" aria-label="Waiting for sign in"><thead><tr><th class="check"></th><th>MAC address</th><th>Location</th><th>Device user status</th><th>Region</th><th>Enrolled</th></tr></thead><tbody>
${
  waitingSignIn.length
    ? join(
        waitingSignIn.map((d) => signInRow(d)),
        '\n',
      )
    : html`<tr><td colspan="6" class="empty">No devices are waiting for sign in. A device appears here after *55*&lt;verification code&gt; was dialled on it.</td></tr>`
}
</tbody></table></form>`;
  return tenantPage(gateway, {
    title: 'Provision devices',
    active: 'phones',
    crumbs: ['Teams devices', 'Provision devices'],
    body: html`<h1>Provision devices</h1>
<p class="lead">Add the MAC addresses of devices to provision them remotely, generate a verification code for each device, and sign in users once devices are waiting for sign in.${!training && html` ${ROVE_MAC_NOTE}`}</p>
${join(v.banners ?? [], '\n')}
<div class="card summary">
  <div><div class="n" data-count="activation">${waitingActivation.length}</div><div class="l">Waiting on activation</div></div>
  <div><div class="n" data-count="signin">${waitingSignIn.length}</div><div class="l">Waiting for sign in</div></div>
</div>
<div class="card">${tabs}${body}</div>`,
    ...(v.pane ? { pane: v.pane } : {}),
  });
}

function activationRow(d: DeviceView, now: number): SafeHtml {
  const code = d.verificationCode;
  const codeCell = !code
    ? html`<span class="tag">None</span>`
    : d.verificationCodeStatus === 'expired'
      ? html`<span class="mono">${code.code}</span> <span class="tag bad">Expired</span>`
      : html`<span class="code" data-code="${d.hardwareId}">${code.code}</span>`;
  const expires = code ? html`${when(code.expiresAt)}<br><small class="sim-note">${relative(code.expiresAt, now)}</small>` : '—';
  return html`<tr data-device="${d.hardwareId}"><td class="check"><input type="checkbox" name="device" value="${d.hardwareId}" aria-label="Select ${d.macAddress}"></td>
<td class="mono">${d.macAddress}${d.lastContactAt === null && html`<br><small class="sim-note" data-unseen>Not yet seen: the device has not fetched its provisioning file from the SIP Gateway (the base's ITSP ConfigURL, handset registered)</small>`}</td><td>${d.location || '—'}</td><td>${codeCell}</td><td>${expires}</td><td>${when(d.addedAt)}</td></tr>`;
}

function signInRow(d: DeviceView): SafeHtml {
  return html`<tr data-device="${d.hardwareId}"><td class="check"><input type="radio" name="device" value="${d.hardwareId}" aria-label="Select ${d.macAddress}"></td>
<td class="mono">${d.macAddress}</td><td>${d.location || '—'}</td>
<td><button class="cmd" style="padding:0;color:var(--brand-dark)" type="submit" name="device" value="${d.hardwareId}"><span class="status off">Signed out</span></button></td>
<td>${d.region ?? '—'}</td><td>${when(d.enrolledAt)}</td></tr>`;
}

function pane(title: string, content: SafeHtml, closeHref: string): SafeHtml {
  return html`<aside class="pane" role="dialog" aria-label="${title}"><a class="close" href="${closeHref}" aria-label="Close">✕</a><h2>${title}</h2>${content}</aside>`;
}

/**
 * The Add pane; `explainRove` adds the simulator's note on Rove hardware ids ("00" + IPEI). Training mode leaves it
 * out until the trainee has made the mistake (a refused row says it then, as the real admin center's error would).
 */
function addPane(explainRove: boolean, rows: Array<{ mac: string; location: string; error?: string }>, problems?: RowProblem[]): SafeHtml {
  const inputs = rows.map(
    (r, i) => html`<div class="row-pair">
  <div class="field"><label for="mac${i}">MAC address</label><input type="text" id="mac${i}" name="mac" value="${r.mac}" placeholder="00-00-00-00-00-00" autocomplete="off">${r.error && html`<div class="err" role="alert">${r.error}</div>`}</div>
  <div class="field"><label for="loc${i}">Location</label><input type="text" id="loc${i}" name="location" value="${r.location}" placeholder="Enter a location"></div>
</div>`,
  );
  const general = problems?.filter((p) => p.row === 0).map((p) => banner('error', p.message));
  return pane(
    'Add MAC addresses',
    html`<form method="post" action="${BASE}/add" style="display:flex;flex-direction:column;flex:1">
<p class="sim-note">Enter the MAC address of each device and a location that helps you find it.${explainRove && html` For a Poly Rove DECT handset, enter "00" followed by the handset's IPEI (shown in the base's web admin on the DECT Summary and Specific Handsets pages), not the MAC address of the base station.`}</p>
${general}${!!problems?.length && banner('error', 'Nothing was added. Correct the rows marked below and select Apply again.')}
${join(inputs, '\n')}
<button class="cmd" type="submit" name="more" value="1" formaction="${BASE}/add?more=1"><span class="plus" aria-hidden="true">+</span> Add another MAC address</button>
<div class="actions"><button class="btn primary" type="submit">Apply</button><a class="btn" href="${BASE}?tab=activation">Cancel</a></div>
</form>`,
    `${BASE}?tab=activation`,
  );
}

function uploadPane(problems?: RowProblem[], fileName?: string): SafeHtml {
  const table =
    !!problems?.length &&
    html`${banner('error', html`<div><strong>No devices were added${fileName && ` from ${fileName}`}.</strong> Correct the rows below and upload the file again.</div>`)}
<table class="grid" aria-label="Upload problems"><thead><tr><th>Row</th><th>MAC id</th><th>Problem</th></tr></thead><tbody>
${join(
  problems.map((p) => html`<tr><td>${p.row === 0 ? 'File' : p.row}</td><td class="mono">${p.macAddress ?? ''}</td><td>${p.message}</td></tr>`),
  '\n',
)}
</tbody></table>`;
  return pane(
    'Upload MAC addresses',
    html`<form method="post" action="${BASE}/upload" enctype="multipart/form-data" style="display:flex;flex-direction:column;flex:1">
<p>Add the MAC address and location of each device to the CSV template, one device per row, then upload it.</p>
<p><a href="${BASE}/template" download="${TEMPLATE_FILE_NAME}">Download a template</a> (${TEMPLATE_FILE_NAME}, columns <strong>MAC id</strong> and <strong>Location</strong>)</p>
${table}
<div class="field"><label for="file">CSV file</label><input type="file" id="file" name="file" accept=".csv,text/csv"></div>
<div class="actions"><button class="btn primary" type="submit">Upload</button><a class="btn" href="${BASE}?tab=activation">Cancel</a></div>
</form>`,
    `${BASE}?tab=activation`,
  );
}

function signInPane(gateway: TeamsGateway, device: DeviceView, deviceLoginHref: string): SafeHtml {
  const now = gateway.clockNow();
  const valid = device.pairing && device.pairing.expiresAt > now ? device.pairing : null;
  const content = valid
    ? html`<p>To sign in a user on <strong class="mono">${device.macAddress}</strong>${device.location && ` (${device.location})`}, go to <strong>${DEVICE_LOGIN_URL}</strong> on any computer or phone and enter this code:</p>
<p class="code" style="font-size:28px" data-pairing-code>${valid.code}</p>
<p class="sim-note">The code expires ${relative(valid.expiresAt, now)} (${when(valid.expiresAt)}). It is not case sensitive.</p>
<p>In this lab the authentication URL is served by the simulator: <a href="${deviceLoginHref}" target="_blank" rel="noopener">open the device login page</a>.</p>
${banner('info', REMOTE_SIGN_IN_NOTE)}`
    : device.pairingStatus === 'none'
      ? banner('info', 'Get a code, then sign in the user with it on the device login page.')
      : banner('warn', 'The code has expired. Get a new code to sign in a user.');
  return pane(
    'Sign in a user',
    html`${content}
<form method="post" action="${BASE}/sign-in" class="actions"><input type="hidden" name="device" value="${device.hardwareId}">
<button class="btn${valid ? '' : ' primary'}" type="submit">${valid ? 'Refresh code' : 'Get a new code'}</button><a class="btn${valid ? ' primary' : ''}" href="${BASE}?tab=signin">Close</a></form>`,
    `${BASE}?tab=signin`,
  );
}

function send(reply: FastifyReply, page: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

export const provisionPages: FastifyPluginAsync<AdminCenterPluginOptions> = async (app, { gateway, training = false }) => {
  app.get<{ Querystring: { tab?: string; pane?: string; device?: string; generated?: string; added?: string; rows?: string } }>(BASE, async (req, reply) => {
    const q = req.query;
    const tab: Tab = q.tab === 'signin' ? 'signin' : 'activation';
    const banners: SafeHtml[] = [];
    if (q.added) banners.push(banner('ok', `${q.added} MAC address${q.added === '1' ? ' was' : 'es were'} added. Select a device and Generate verification code.`));
    if (q.generated) {
      const macs = q.generated.split(',').map((id) => gateway.device(id)?.macAddress ?? id);
      banners.push(
        banner('info', html`<div><strong>Verification code generated</strong> for ${macs.join(', ')}. ${CODE_VALIDITY_MESSAGE} On the device, dial *55*&lt;verification code&gt;.</div>`),
      );
    }
    let pane: SafeHtml | undefined;
    if (q.pane === 'add') pane = addPane(!training, Array.from({ length: Math.min(20, Math.max(1, Number(q.rows) || 1)) }, () => ({ mac: '', location: '' })));
    if (q.pane === 'upload') pane = uploadPane();
    if (q.pane === 'signin' && q.device) pane = signInPane(gateway, gateway.requireDevice(q.device), '/devicelogin');
    return send(reply, render(gateway, training, { tab, banners, ...(pane ? { pane } : {}) }));
  });

  app.post<{ Body: FormBody; Querystring: { more?: string } }>(`${BASE}/add`, async (req, reply) => {
    const macs = fields(req.body, 'mac');
    const locations = fields(req.body, 'location');
    const rows = macs.map((mac, i) => ({ mac, location: locations[i] ?? '' }));
    if (req.query.more) {
      return send(reply, render(gateway, training, { tab: 'activation', pane: addPane(!training, [...rows, { mac: '', location: '' }]) }));
    }
    const filled = rows.map((r, i) => ({ ...r, row: i + 1 })).filter((r) => r.mac.trim() !== '' || r.location.trim() !== '');
    const result = gateway.addDevices(filled.map((r) => ({ row: r.row, macAddress: r.mac, location: r.location })), 'admin-center');
    if (result.ok) return reply.redirect(`${BASE}?tab=activation&added=${result.added.length}`, 303);
    const byRow = new Map(result.problems.map((p) => [p.row, p.message]));
    const shown = rows.length ? rows : [{ mac: '', location: '' }];
    return send(
      reply,
      render(gateway, training, { tab: 'activation', pane: addPane(true, shown.map((r, i) => ({ ...r, ...(byRow.has(i + 1) ? { error: byRow.get(i + 1)! } : {}) })), result.problems) }),
      400,
    );
  });

  app.get(`${BASE}/template`, async (_req, reply) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${TEMPLATE_FILE_NAME}"`).send(provisioningTemplate()),
  );

  app.post(`${BASE}/upload`, async (req, reply) => {
    let problems: RowProblem[];
    let fileName: string | undefined;
    try {
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file) {
        problems = [{ row: 0, message: 'Select a CSV file to upload.' }];
      } else {
        fileName = file.filename;
        const data = await file.toBuffer();
        const parsed = parseProvisioningCsv(data, { maxBytes: gateway.profile.csvMaxBytes, maxRows: gateway.profile.csvMaxRows });
        if (parsed.ok) {
          const result = gateway.addDevices(parsed.rows, 'upload');
          if (result.ok) return reply.redirect(`${BASE}?tab=activation&added=${result.added.length}`, 303);
          problems = result.problems;
        } else {
          problems = parsed.problems;
        }
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'FST_REQ_FILE_TOO_LARGE' && code !== 'FST_PARTS_LIMIT' && code !== 'FST_FILES_LIMIT') throw err;
      problems = [{ row: 0, message: `The file is larger than ${gateway.profile.csvMaxBytes} bytes. Split it into smaller files.` }];
    }
    return send(reply, render(gateway, training, { tab: 'activation', pane: uploadPane(problems, fileName) }), 400);
  });

  app.post<{ Body: FormBody }>(`${BASE}/generate-code`, async (req, reply) => {
    const selected = fields(req.body, 'device');
    if (selected.length === 0) {
      return send(reply, render(gateway, training, { tab: 'activation', banners: [banner('error', 'Select one or more devices, then select Generate verification code.')] }), 400);
    }
    for (const id of selected) gateway.generateVerificationCode(id);
    return reply.redirect(`${BASE}?tab=activation&generated=${encodeURIComponent(selected.join(','))}`, 303);
  });

  app.post<{ Body: FormBody }>(`${BASE}/sign-in`, async (req, reply) => {
    const id = field(req.body, 'device');
    if (!id) return send(reply, render(gateway, training, { tab: 'signin', banners: [banner('error', 'Select a device, then select Sign in a user.')] }), 400);
    gateway.requestPairingCode(id, 'admin-center');
    const device = gateway.requireDevice(id);
    const tab = device.state === 'enrolled' ? 'signin' : 'sip';
    if (tab === 'sip') return reply.redirect(`/devices/sip/${device.hardwareId}?pane=signin`, 303);
    return reply.redirect(`${BASE}?tab=signin&pane=signin&device=${device.hardwareId}`, 303);
  });
};

export { signInPane };
