/**
 * Directory → Central Directory and Directory → Local Directory: where the handsets' Contacts look names up (seed 000:
 * "supports Local, LDAP and XSI Server").
 *
 * - Central Directory: `Directory type` and the LDAP and XSI fields, saved as one settings form (nothing is saved
 *   unless every field is valid); a test search that runs exactly what a handset's search runs and shows what the
 *   handset would show beside the server's own words; the last lookup a handset made.
 * - Local Directory: the entries (add, edit, delete), CSV export and import. An import is all or nothing: each bad
 *   row is listed with its line, nothing changes, and the text stays in the form to be corrected.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../base-station.ts';
import {
  type DirectoryAnswer,
  LOCAL_FIELDS,
  LOCAL_LABELS,
  type LocalDirectoryInput,
  localEntriesOf,
  removeLocalEntry,
  saveLocalEntry,
  XSI_NOT_EMULATED,
} from '../../central-directory.ts';
import { exportDirectoryCsv, type ImportMode, importDirectoryCsv } from '../../directory-csv.ts';
import { sectionById } from '../../parameters.ts';
import { html, type SafeHtml } from '../../../../kernel/html.ts';
import { baseOf, type MacParams } from '../base-request.ts';
import { readForm } from '../form-input.ts';
import { errorSummary, type FormLook, renderSection } from '../form-rendering.ts';
import type { Notice } from '../layout.ts';
import { type PagePluginOptions, redirectTo, sendPage, timeAt } from '../page-context.ts';
import { saveSettingsForm, savedFormState, type SettingsFormState } from '../settings-form.ts';

export const DIRECTORY_SECTIONS = [sectionById('central-directory')!, sectionById('ldap')!, sectionById('xsi')!];

/** What a handset shows for each answer (the English words of src/devices/handset/directory-text.ts). */
const HANDSET_WORDS: Readonly<Record<Exclude<DirectoryAnswer, { ok: true }>['problem'], string>> = {
  'bad-credentials': 'Server login failed',
  unreachable: 'Server not reachable',
  'server-error': 'Directory error',
  disabled: 'No directory',
  'not-configured': 'Directory not set up',
  'no-service': 'No service',
};

function answerHtml(answer: DirectoryAnswer): SafeHtml {
  if (!answer.ok) {
    return html`<p class="notice error" id="lookup-problem">Handset shows <strong>${HANDSET_WORDS[answer.problem]}</strong>. ${answer.detail}</p>`;
  }
  if (answer.entries.length === 0) return html`<p class="empty" id="lookup-empty">Handset shows <strong>No entries found</strong>.</p>`;
  return html`<table class="grid" id="lookup-entries"><thead><tr><th>Name</th><th>Numbers</th></tr></thead><tbody>${answer.entries.map(
    (e) => html`<tr><td>${e.name}</td><td>${e.numbers.map((n, i) => html`${i ? ', ' : ''}${n.label} <code>${n.number}</code>`)}</td></tr>`,
  )}</tbody></table>${answer.more ? html`<p class="muted">More entries match: a handset lists the first ${answer.entries.length}.</p>` : ''}`;
}

/** The simulator's note on the lab's own directory server (its settings are an answer in training mode). */
const labDirectoryNote = html`<p class="muted" id="lab-directory">The lab's company directory: Server <code>ldap.lab.test</code>, Port <code>389</code>, Use TLS <code>Off</code>,
Base DN <code>ou=People,dc=lab,dc=test</code>, Bind DN <code>cn=rove,ou=Services,dc=lab,dc=test</code>, Password <code>Directory-2026</code>.
Any other LDAP server (Active Directory, OpenLDAP) is reached by IP address, or by name when the lab runs with <code>--real-dns</code>.
XSI: ${XSI_NOT_EMULATED}; a lookup says the server is not reachable.</p>`;

function centralBody(base: BaseStation, state: SettingsFormState, test: { query: string; answer: DirectoryAnswer } | null, look: FormLook): SafeHtml {
  const last = base.lastDirectoryLookup;
  return html`<form method="post" action="central-directory" class="settings" novalidate>
${DIRECTORY_SECTIONS.map((s) => renderSection(s, state, look))}
<div class="actions"><button type="submit" class="primary">Save</button></div>
</form>
${look.hints ? labDirectoryNote : ''}
<section class="panel"><h2>Test search</h2>
<form method="get" action="central-directory" class="inline"><label for="q">Name starts with</label> <input id="q" name="q" value="${test?.query ?? ''}" autocomplete="off"> <button type="submit">Search</button></form>
<p class="muted">Runs the search a handset's Contacts runs, with the saved settings.</p>
${test ? answerHtml(test.answer) : ''}</section>
<section class="panel"><h2>Last lookup</h2>${
    last
      ? html`<p id="last-lookup">${timeAt(base, last.at)}, from ${last.from}, for "${last.query}":</p>${answerHtml(last.answer)}`
      : html`<p class="empty" id="last-lookup">No lookup since the simulator started.</p>`
  }</section>`;
}

function entryField(name: (typeof LOCAL_FIELDS)[number], value: string): SafeHtml {
  return html`<div class="field"><label for="${name}">${LOCAL_LABELS[name]}</label><input id="${name}" name="${name}" value="${value}" autocomplete="off"></div>`;
}

const EMPTY_ENTRY: LocalDirectoryInput = { name: '', work: '', mobile: '', home: '' };

function localBody(base: BaseStation, typed: LocalDirectoryInput, csv: string, editing?: number): SafeHtml {
  const entries = localEntriesOf(base.flash);
  const type = base.flash.settings.directoryType;
  const rows = entries.map(
    (e, i) =>
      html`<tr id="entry-${i + 1}"><td>${i + 1}</td><td>${e.name}</td><td>${e.work}</td><td>${e.mobile}</td><td>${e.home}</td><td><a class="button small" href="local-directory?edit=${i + 1}">Edit</a> <button type="submit" name="remove" value="${i + 1}" class="small">Delete</button></td></tr>`,
  );
  return html`${type === 'Local' ? '' : html`<p class="notice info" id="not-in-use">Directory type is ${type}: handsets search ${type === 'Disabled' ? 'no directory' : `the ${type} server`}, not these entries (Directory → <a href="central-directory">Central Directory</a>).</p>`}
<section class="panel"><h2>Entries (${entries.length})</h2>${
    rows.length
      ? html`<form method="post" action="local-directory/remove"><table class="grid" id="entries"><thead><tr><th>#</th><th>Name</th><th>Work</th><th>Mobile</th><th>Home</th><th></th></tr></thead><tbody>${rows}</tbody></table></form>`
      : html`<p class="empty" id="entries">No entries. Add them here or import a CSV file.</p>`
  }</section>
<form method="post" action="local-directory" class="settings"><fieldset><legend>${editing === undefined ? 'Add entry' : `Edit entry ${editing + 1}`}</legend>
${LOCAL_FIELDS.map((f) => entryField(f, typed[f]))}
${editing === undefined ? '' : html`<input type="hidden" name="entry" value="${editing + 1}">`}
</fieldset><div class="actions"><button type="submit" class="primary">${editing === undefined ? 'Add' : 'Save'}</button></div></form>
<section class="panel"><h2>CSV</h2>
<p><a class="button" href="local-directory.csv" download>Export CSV</a> — columns <code>Name,Work,Mobile,Home</code>, one entry per row.</p>
<form method="post" action="local-directory/import" enctype="multipart/form-data" class="import">
<p>Choose a CSV file or paste it. Every row is checked first; if any is wrong, nothing is imported.</p>
<table class="form"><tbody>
<tr><th scope="row"><label for="file">CSV file</label></th><td><input type="file" id="file" name="file" accept=".csv,text/csv,text/plain"></td></tr>
<tr><th scope="row"><label for="text">Or paste</label></th><td><textarea id="text" name="text" rows="8" cols="70" spellcheck="false">${csv}</textarea></td></tr>
<tr><th scope="row"><label for="mode">Entries</label></th><td><select id="mode" name="mode"><option value="add">Add to the entries</option><option value="replace">Replace all entries</option></select></td></tr>
</tbody></table>
<div class="actions"><button type="submit" class="primary">Import</button></div></form></section>`;
}

const QUERY_SCHEMA = {
  type: 'object',
  properties: { q: { type: 'string', maxLength: 64 }, saved: { type: 'string' } },
} as const;

const LOCAL_QUERY_SCHEMA = {
  type: 'object',
  properties: { edit: { type: 'string', pattern: '^[0-9]{1,4}$' }, saved: { type: 'string' }, removed: { type: 'string' }, imported: { type: 'string' } },
} as const;

function localNotices(query: { saved?: string; removed?: string; imported?: string }): Notice[] {
  if (query.saved !== undefined) return [{ kind: 'ok', text: 'Entry saved' }];
  if (query.removed !== undefined) return [{ kind: 'ok', text: 'Entry deleted' }];
  if (query.imported !== undefined) return [{ kind: 'ok', text: `CSV imported: the directory holds ${query.imported} entries` }];
  return [];
}

/** The file or the pasted text of an import, and the mode; or why the form cannot be read. */
function importForm(raw: unknown): { text: string; pasted: string; mode: ImportMode } | { problem: string; pasted: string } {
  const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const pasted = typeof fields.text === 'string' ? fields.text : '';
  const unknown = Object.keys(fields).filter((k) => !['file', 'text', 'mode'].includes(k));
  if (unknown.length) return { problem: `Unknown field "${unknown[0]!.slice(0, 40)}" refused.`, pasted };
  if (fields.mode !== 'add' && fields.mode !== 'replace') return { problem: 'Choose whether to add to or replace the entries.', pasted };
  const file = fields.file;
  if (file !== undefined && typeof file !== 'string' && !Buffer.isBuffer(file)) return { problem: 'Upload one file only.', pasted };
  const fromFile = file === undefined ? '' : Buffer.isBuffer(file) ? file.toString('utf8') : file;
  if (fromFile.trim() && pasted.trim()) return { problem: 'Choose a file or paste the CSV, not both.', pasted };
  const text = fromFile.trim() ? fromFile : pasted;
  if (!text.trim()) return { problem: 'Choose a CSV file or paste its text.', pasted };
  return { text, pasted: text, mode: fields.mode };
}

export const directoryPages: FastifyPluginAsync<PagePluginOptions> = async (app, { training }) => {
  const look: FormLook = { hints: !training };
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 512 * 1024, files: 1, fields: 4, parts: 5 } });

  app.get<{ Params: MacParams; Querystring: { q?: string; saved?: string } }>('/:mac/central-directory', { schema: { querystring: QUERY_SCHEMA } }, async (req, reply) => {
    const base = baseOf(req);
    const test = req.query.q !== undefined ? { query: req.query.q, answer: await base.lookUpDirectory(req.query.q, 'web admin') } : null;
    return sendPage(reply, {
      base,
      page: 'central-directory',
      body: centralBody(base, savedFormState(base), test, look),
      notices: req.query.saved !== undefined ? [{ kind: 'ok', text: 'Settings saved' }] : [],
    });
  });

  app.post<{ Params: MacParams }>('/:mac/central-directory', async (req, reply) => {
    const base = baseOf(req);
    const outcome = saveSettingsForm(base, DIRECTORY_SECTIONS, req.body);
    if (outcome.ok) return redirectTo(reply, 'central-directory?saved=1');
    const summary = errorSummary(DIRECTORY_SECTIONS, outcome.state);
    return sendPage(reply, { base, page: 'central-directory', body: centralBody(base, outcome.state, null, look), notices: summary ? [summary] : [] }, 400);
  });

  app.get<{ Params: MacParams; Querystring: { edit?: string; saved?: string; removed?: string; imported?: string } }>(
    '/:mac/local-directory',
    { schema: { querystring: LOCAL_QUERY_SCHEMA } },
    async (req, reply) => {
      const base = baseOf(req);
      const entries = localEntriesOf(base.flash);
      const editing = req.query.edit !== undefined ? Number(req.query.edit) - 1 : undefined;
      const entry = editing !== undefined ? entries[editing] : undefined;
      if (editing !== undefined && !entry) {
        return sendPage(reply, { base, page: 'local-directory', body: localBody(base, EMPTY_ENTRY, ''), notices: [{ kind: 'error', text: `There is no entry ${editing + 1}` }] }, 404);
      }
      return sendPage(reply, { base, page: 'local-directory', body: localBody(base, entry ?? EMPTY_ENTRY, '', entry ? editing : undefined), notices: localNotices(req.query) });
    },
  );

  app.get<{ Params: MacParams }>('/:mac/local-directory.csv', async (req, reply) => {
    const base = baseOf(req);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="Rove${base.flash.model}_${base.mac}_directory.csv"`)
      .header('cache-control', 'no-store')
      .send(exportDirectoryCsv(localEntriesOf(base.flash)));
  });

  app.post<{ Params: MacParams }>('/:mac/local-directory', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: LOCAL_FIELDS, optional: ['entry'] });
    const index = form.extra.entry !== undefined ? Number(form.extra.entry) - 1 : undefined;
    const outcome =
      form.problems.length || (index !== undefined && !Number.isInteger(index))
        ? { ok: false as const, errors: (form.problems.length ? form.problems : ['The entry number is not valid.']).map((message) => ({ field: 'form', message })) }
        : saveLocalEntry(base, form.values, index);
    if (outcome.ok) return redirectTo(reply, 'local-directory?saved=1');
    return sendPage(
      reply,
      { base, page: 'local-directory', body: localBody(base, { ...EMPTY_ENTRY, ...form.values }, '', index), notices: [{ kind: 'error', text: html`<strong>Entry not saved</strong>: ${outcome.errors.map((e) => e.message).join(' ')}` }] },
      400,
    );
  });

  app.post<{ Params: MacParams }>('/:mac/local-directory/remove', async (req, reply) => {
    const base = baseOf(req);
    const form = readForm(req.body, { required: ['remove'] });
    const outcome = form.problems.length ? { ok: false as const, errors: form.problems.map((message) => ({ field: 'form', message })) } : removeLocalEntry(base, Number(form.values.remove) - 1);
    if (outcome.ok) return redirectTo(reply, '../local-directory?removed=1');
    return sendPage(reply, { base, page: 'local-directory', body: localBody(base, EMPTY_ENTRY, ''), notices: [{ kind: 'error', text: outcome.errors.map((e) => e.message).join(' ') }] }, 400);
  });

  app.post<{ Params: MacParams }>('/:mac/local-directory/import', async (req, reply) => {
    const base = baseOf(req);
    const input = importForm(req.body);
    const outcome = 'problem' in input ? { ok: false as const, problems: [input.problem] } : importDirectoryCsv(input.text, localEntriesOf(base.flash), input.mode);
    if (outcome.ok) {
      base.send({ type: 'SET_LOCAL_DIRECTORY', entries: outcome.entries });
      return redirectTo(reply, `../local-directory?imported=${outcome.entries.length}`);
    }
    const summary: Notice = {
      kind: 'error',
      text: html`<strong>CSV not imported</strong>: nothing was changed.<ul>${outcome.problems.map((p) => html`<li>${p}</li>`)}</ul>`,
    };
    return sendPage(reply, { base, page: 'local-directory', body: localBody(base, EMPTY_ENTRY, input.pasted), notices: [summary] }, 400);
  });
};
