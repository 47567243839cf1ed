/**
 * System Management → Configuration: download the settings as a file, upload (or paste) one to apply. Uploads are
 * multipart forms, parsed only in this page's context; the file is limited to 256 KiB (a full configuration is
 * about 1 KiB).
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { exportConfig, importConfig } from '../config-transfer.ts';
import { html } from '../../../../kernel/html.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, redirectTo, sendPage } from '../page-context.ts';

const MAX_FILE_BYTES = 256 * 1024;

function body(base: BaseStation, pasted: string) {
  return html`<section class="panel"><h2>Export</h2>
<p>Download the settings of this base as a configuration file (<code>%KEY%: "value"</code> lines). The admin password is not exported.</p>
<p><a class="button" href="config-export" download>Export configuration</a></p></section>
<section class="panel"><h2>Import</h2>
<form method="post" action="configuration" enctype="multipart/form-data" class="import">
<p>Choose a configuration file, or paste its text. Every line is checked first; if anything is wrong, nothing is applied.</p>
<table class="form"><tbody>
<tr><th scope="row"><label for="file">Configuration file</label></th><td><input type="file" id="file" name="file" accept=".cfg,.txt,text/plain"></td></tr>
<tr><th scope="row"><label for="text">Or paste</label></th><td><textarea id="text" name="text" rows="10" cols="70" spellcheck="false">${pasted}</textarea></td></tr>
</tbody></table>
<div class="actions"><button type="submit" class="primary">Import</button></div>
</form></section>`;
}

/** The file or pasted text of an import form, or why it cannot be read. */
function importedText(raw: unknown): { text: string; pasted: string } | { problem: string; pasted: string } {
  const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const pasted = typeof fields.text === 'string' ? fields.text : '';
  const unknown = Object.keys(fields).filter((k) => k !== 'file' && k !== 'text');
  if (unknown.length) return { problem: `Unknown field "${unknown[0]!.slice(0, 40)}" refused.`, pasted };
  const file = fields.file;
  if (file !== undefined && typeof file !== 'string' && !Buffer.isBuffer(file)) return { problem: 'Upload one file only.', pasted };
  if (fields.text !== undefined && typeof fields.text !== 'string') return { problem: 'Paste the configuration once.', pasted };
  const fromFile = file === undefined ? '' : Buffer.isBuffer(file) ? file.toString('utf8') : file;
  if (fromFile.trim() && pasted.trim()) return { problem: 'Choose a file or paste a configuration, not both.', pasted };
  const text = fromFile.trim() ? fromFile : pasted;
  if (!text.trim()) return { problem: 'Choose a configuration file or paste its text.', pasted };
  return { text, pasted };
}

function notices(query: Record<string, string | undefined>): Notice[] {
  return query.imported !== undefined ? [{ kind: 'ok', text: `Configuration imported: ${query.imported} settings applied` }] : [];
}

export const configurationPage: FastifyPluginAsync<PagePluginOptions> = async (app, { lab }) => {
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, parts: 5 },
  });

  app.get<{ Params: MacParams; Querystring: Record<string, string | undefined> }>('/:mac/configuration', async (req, reply) => {
    const base = baseOf(req);
    return sendPage(reply, { base, page: 'configuration', body: body(base, ''), notices: notices(req.query) });
  });

  app.get<{ Params: MacParams }>('/:mac/config-export', async (req, reply) => {
    const { fileName, text } = exportConfig(baseOf(req), lab.clock.now());
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store')
      .send(text);
  });

  app.post<{ Params: MacParams }>('/:mac/configuration', async (req, reply) => {
    const base = baseOf(req);
    const input = importedText(req.body);
    const outcome = 'problem' in input ? { ok: false as const, errors: [input.problem] } : importConfig(base, input.text);
    if (outcome.ok) return redirectTo(reply, `configuration?imported=${Object.keys(outcome.applied).length}`);
    const summary: Notice = {
      kind: 'error',
      text: html`<strong>Configuration not imported</strong>: nothing was changed.<ul>${outcome.errors.map((e) => html`<li>${e}</li>`)}</ul>`,
    };
    return sendPage(reply, { base, page: 'configuration', body: body(base, input.pasted), notices: [summary] }, 400);
  });
};
