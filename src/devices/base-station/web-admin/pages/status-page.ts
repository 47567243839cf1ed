/**
 * Home/Status: what the base is and what it is doing, so a technician can watch the guide's steps take effect —
 * firmware version, uptime and reboots (with reasons: firmware update, provisioning), and the auto firmware update
 * and ITSP provisioning status with their error codes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ActivityStatus } from '../../base-machine.ts';
import type { BaseStation } from '../../base-station.ts';
import { toDotted } from '../../firmware-version.ts';
import { formatMac } from '../../../../kernel/mac.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { html, type SafeHtml } from '../../../../kernel/html.ts';
import { type PagePluginOptions, sendPage, timeAt } from '../page-context.ts';
import { formatUptime } from '../time-format.ts';
import { PHASE_WORDS } from '../activity-words.ts';
import type { BaseLineStatus } from '../../base-surroundings.ts';


function row(label: string, value: SafeHtml | string | number, id?: string): SafeHtml {
  return html`<tr${id ? html` id="${id}"` : ''}><th scope="row">${label}</th><td>${value}</td></tr>`;
}

function activityRows(base: BaseStation, prefix: string, a: ActivityStatus): SafeHtml[] {
  return [
    row('Status', html`<span class="phase phase-${a.phase}">${PHASE_WORDS[a.phase]}</span>`, `${prefix}-phase`),
    row('Message', a.message, `${prefix}-message`),
    row('Error code', a.code ? html`<code class="error-code">${a.code}</code>` : '—', `${prefix}-code`),
    row('Since', a.at === null ? '—' : timeAt(base, a.at)),
  ];
}

function targetVersion(base: BaseStation): string {
  const { baseFwVersion: version, baseFwBranch: branch } = base.flash.settings;
  return /^\d{4}$/.test(version) && /^\d{4}$/.test(branch) ? toDotted({ version, branch }) : 'not set';
}

/** `1001@0004F2A00001 (sip.lab.test) OK` for each line ([RTX] Home/Status). */
function sipLines(lines: readonly BaseLineStatus[], mac: string): SafeHtml {
  if (lines.length === 0) return html`<p class="empty" id="sip-lines">No line: an extension registers once its handset is registered to this base.</p>`;
  return html`<table class="grid" id="sip-lines"><thead><tr><th>Identity</th><th>Status</th><th>Handset</th></tr></thead><tbody>${lines.map(
    (l) =>
      html`<tr><td>${l.extension}@${mac} (${l.server})</td><td><span class="phase phase-${l.state === 'OK' ? 'applied' : l.state === 'Error' ? 'error' : 'scheduled'}">${l.state}</span>${l.reason ? ` ${l.reason}` : ''}</td><td><code>${l.ipei}</code></td></tr>`,
  )}</tbody></table>`;
}

export function statusBody(base: BaseStation, now: number, lines: readonly BaseLineStatus[] = []): SafeHtml {
  const s = base.status();
  const settings = base.flash.settings;
  const system = [
    row('Model', `Rove ${s.model}`, 'model'),
    row('MAC address', formatMac(s.mac), 'mac'),
    row('Firmware version', html`<strong>${s.firmware}</strong>`, 'firmware'),
    row('Time', timeAt(base, now)),
    row('Uptime', s.uptimeSeconds === null ? '—' : formatUptime(s.uptimeSeconds), 'uptime'),
    row('Reboots', s.reboots, 'reboots'),
    ...(s.rebootPending
      ? [row('Reboot pending', `${s.rebootPending}: waiting until calls and the firmware update end`, 'reboot-pending')]
      : []),
  ];
  const log = s.rebootLog.length
    ? html`<table class="grid" id="reboot-log"><thead><tr><th>Time</th><th>Reason</th></tr></thead><tbody>${s.rebootLog
        .slice(0, 10)
        .map((e) => html`<tr><td class="time">${timeAt(base, e.at)}</td><td>${e.reason}</td></tr>`)}</tbody></table>`
    : html`<p class="empty">No reboots logged.</p>`;
  const last = s.lastFirmwareUpdate;
  const firmware = [
    ...activityRows(base, 'firmware-update', s.firmwareUpdate),
    row('Required version', targetVersion(base)),
    row('Last firmware update', last ? `${last.from} → ${last.to} at ${timeAt(base, last.at)}` : '—', 'last-firmware-update'),
  ];
  const provisioning = [
    ...activityRows(base, 'provisioning', s.provisioning),
    row('ConfigURL', settings.provisioningOption === 'ConfigURL' && settings.configUrl ? settings.configUrl : '—'),
    row('Pending provisioning reboots', s.pendingProvisioningReboots, 'pending-provisioning-reboots'),
  ];
  const registration = s.registration
    ? `Open for slot ${s.registration.slot} until ${timeAt(base, s.registration.until)}`
    : 'Closed';
  const dect = [row('Registered handsets', base.flash.handsets.length), row('Registration', registration, 'registration')];
  return html`<section class="panel"><h2>System</h2><table class="status"><tbody>${system}</tbody></table></section>
<section class="panel"><h2>Last reboots</h2>${log}</section>
<section class="panel"><h2>Auto Firmware Update</h2><table class="status"><tbody>${firmware}</tbody></table></section>
<section class="panel"><h2>ITSP Provisioning</h2><table class="status"><tbody>${provisioning}</tbody></table></section>
<section class="panel"><h2>DECT</h2><table class="status"><tbody>${dect}</tbody></table></section>
<section class="panel"><h2>SIP lines</h2>${sipLines(lines, base.mac)}</section>`;
}

export const statusPage: FastifyPluginAsync<PagePluginOptions> = async (app, { lab }) => {
  app.get<{ Params: MacParams }>('/:mac/', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'status', body: statusBody(base, lab.clock.now(), lab.lineStatuses(base.mac)) });
  });
};
