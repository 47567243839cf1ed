/**
 * Teams devices → **Bulk sign-in**: the seed's "Teams SIP Gateway Bulk Signin Tool" [seed 003] as a page of the
 * admin center. It prints the tenant's provisioning URLs (tenant id filled in) on load; Browse picks a CSV, which is
 * checked (header, rows, hardware-id format) and its users listed; **Bulk Sign In** runs `New-CsSdgBulkSignInRequest`
 * and polls `Get-CsSdgBulkSignInRequestStatus` until `Completed`; rows turn green (signed in) or red (with the
 * error); **Export** saves the results as CSV. The browser side is web/teams/bulk-sign-in.js; the JSON routes here
 * are the same operations as the control API's, for the page's own origin.
 *
 *     GET  /devices/bulk-sign-in                    the tool
 *     POST /devices/bulk-sign-in/check              { csv } → { ok, rows } | { ok: false, problems }
 *     POST /devices/bulk-sign-in/requests           { csv, region } → the batch (or { message })
 *     GET  /devices/bulk-sign-in/requests/:batchId  the batch
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { SimError } from '../../../kernel/errors.ts';
import { html, join } from '../../../kernel/html.ts';
import { parseBulkSignInCsv } from '../bulk/bulk-csv.ts';
import { PROVISIONING_HOST, REGIONS } from '../regions.ts';
import { actingAdmin } from '../tenant/tenant-model.ts';
import { type AdminCenterPluginOptions, tenantPage } from './context.ts';
import { banner } from './layout.ts';

/** The ConfigURL a Rove base needs for bulk sign-in in `region`: the tenant id before the handset's file name. */
export function bulkProvisioningUrl(region: (typeof REGIONS)[number], tenantId: string): string {
  return `http://${PROVISIONING_HOST[region]}/tenantid/${tenantId}/00\${IPEI}.cfg`;
}

async function json(reply: FastifyReply, work: () => unknown): Promise<FastifyReply> {
  try {
    return await reply.send(work());
  } catch (err) {
    if (err instanceof SimError) return reply.code(err.statusCode).send({ code: err.code, message: err.message });
    throw err;
  }
}

export const bulkSignInPage: FastifyPluginAsync<AdminCenterPluginOptions> = async (app, { gateway, training = false }) => {
  app.get('/devices/bulk-sign-in', async (_req, reply) => {
    const tenant = gateway.tenant;
    const admin = actingAdmin(tenant);
    const urls = REGIONS.map((r) => html`<li><span class="region">${r}</span> <code class="mono" data-provisioning-url="${r}">${bulkProvisioningUrl(r, tenant.id)}</code></li>`);
    const disabled = tenant.sipDevicesConfiguration.bulkSignIn !== 'Enabled';
    return reply.type('text/html; charset=utf-8').send(
      tenantPage(gateway, {
        title: 'Bulk sign-in',
        active: 'bulk',
        crumbs: ['Teams devices', 'SIP devices', 'Bulk sign-in'],
        body: html`<h1>Bulk sign-in</h1>
<p class="lead">Sign in up to ${gateway.profile.bulkMaxDevices} SIP devices at a time without passwords (New-CsSdgBulkSignInRequest). Signed in as ${admin?.upn ?? 'nobody'} (${admin?.roles.join(', ') || 'no roles'}).</p>
${
  disabled &&
  banner('warn', html`BulkSignIn is <strong>Disabled</strong> for this tenant: requests will be refused. PowerShell: <code>Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled</code>`)
}
<section class="card" aria-labelledby="urls-h"><h2 id="urls-h">Provisioning URLs for ${tenant.organizationName}</h2>
<p class="hint">Tenant ID <code class="mono" data-tenant-id>${tenant.id}</code>. Set the base's ConfigURL to the one of your region${!training && html` (Rove: one file per handset, <code>00\${IPEI}.cfg</code>)`}.</p>
<ul class="urls">${join(urls, '\n')}</ul></section>
<section class="card bulk-tool" aria-labelledby="tool-h"><h2 id="tool-h">Devices</h2>
<div class="bulk-controls">
<label class="btn" for="csv-file">Browse…</label><input type="file" id="csv-file" accept=".csv,text/csv" aria-label="Device details CSV file">
<span id="file-name" class="hint">No file chosen (Username,HardwareId)</span>
<label for="region">Region</label><select id="region" aria-label="Region">${REGIONS.map((r) => html`<option${r === 'EMEA' && html` selected`}>${r}</option>`)}</select>
<button class="btn primary" type="button" id="bulk-sign-in" disabled>Bulk Sign In</button>
<button class="btn" type="button" id="export" disabled>Export</button>
</div>
<div id="message" role="status" aria-live="polite"></div>
<div class="progress" aria-hidden="true"><div id="progress-bar"></div></div>
<table class="grid" aria-label="Bulk sign-in devices"><thead><tr><th>Line</th><th>Username</th><th>HardwareId</th><th>Status</th><th>Error</th></tr></thead><tbody id="rows"><tr><td colspan="5" class="empty">Choose a CSV file to list its devices.</td></tr></tbody></table>
</section>
<script src="/static/teams/bulk-sign-in.js" defer></script>`,
      }),
    );
  });

  app.post<{ Body: { csv: string } }>(
    '/devices/bulk-sign-in/check',
    { schema: { body: { type: 'object', required: ['csv'], properties: { csv: { type: 'string', maxLength: 256 * 1024 } } } } },
    async (req, reply) => json(reply, () => parseBulkSignInCsv(req.body.csv, { maxDevices: gateway.profile.bulkMaxDevices, strictHardwareIds: true })),
  );

  app.post<{ Body: { csv: string; region: string } }>(
    '/devices/bulk-sign-in/requests',
    { schema: { body: { type: 'object', required: ['csv', 'region'], properties: { csv: { type: 'string', maxLength: 256 * 1024 }, region: { type: 'string' } } } } },
    async (req, reply) => json(reply, () => gateway.bulk.submit({ csv: req.body.csv, region: req.body.region })),
  );

  app.get<{ Params: { batchId: string } }>('/devices/bulk-sign-in/requests/:batchId', async (req, reply) =>
    json(reply, () => ({ ...gateway.bulk.status(req.params.batchId), now: gateway.clockNow() })),
  );
};
