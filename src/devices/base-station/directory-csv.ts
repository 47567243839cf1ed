/**
 * The Local directory as CSV: exported as `Name,Work,Mobile,Home` with a header, imported from the same shape.
 *
 * An import is all or nothing: every row is checked first, each problem is reported with its line number, and if any
 * row is wrong nothing changes (the text stays in the form to be corrected), so an import never loses entries. The
 * header is required, its case and column order are free, extra columns are refused (they would be lost on export),
 * `Mobile` and `Home` may be left out. Quoting, a UTF-8 BOM and any line ending are read as spreadsheets write them.
 */
import { readCsvRecords } from '../../kernel/csv-records.ts';
import {
  checkLocalEntry,
  LOCAL_FIELDS,
  LOCAL_LABELS,
  type LocalDirectoryEntry,
  type LocalDirectoryInput,
  MAX_LOCAL_ENTRIES,
} from './central-directory.ts';

export type CsvImport = { ok: true; entries: LocalDirectoryEntry[] } | { ok: false; problems: string[] };

/** How an import joins the entries already there. */
export type ImportMode = 'add' | 'replace';

function quoted(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function exportDirectoryCsv(entries: readonly LocalDirectoryEntry[]): string {
  const header = LOCAL_FIELDS.map((f) => LOCAL_LABELS[f]).join(',');
  return [header, ...entries.map((e) => LOCAL_FIELDS.map((f) => quoted(e[f])).join(','))].join('\r\n') + '\r\n';
}

/**
 * Reads `text` and joins it to `existing` (`add`: after them; an entry with the same name and numbers as one already
 * there is not added twice; `replace`: instead of them).
 */
export function importDirectoryCsv(text: string, existing: readonly LocalDirectoryEntry[], mode: ImportMode): CsvImport {
  const read = readCsvRecords(text, { trim: false, skipEmptyValues: false, maxRecordSize: 4096 });
  if (!read.ok) return { ok: false, problems: [`Line ${read.line}: not valid CSV (${read.message})`] };
  const records = read.records;
  const [header, ...rows] = records;
  if (!header) return { ok: false, problems: ['The file is empty: it needs the header Name,Work,Mobile,Home and one row per entry'] };
  const names = header.record.map((h) => h.trim().toLowerCase());
  const columns = new Map<string, number>();
  const problems: string[] = [];
  names.forEach((name, i) => {
    const field = LOCAL_FIELDS.find((f) => f === name);
    if (!field) problems.push(`Line ${header.info.lines}: unknown column "${header.record[i]}" (the columns are ${LOCAL_FIELDS.map((f) => LOCAL_LABELS[f]).join(', ')})`);
    else if (columns.has(field)) problems.push(`Line ${header.info.lines}: column ${LOCAL_LABELS[field]} appears twice`);
    else columns.set(field, i);
  });
  if (!columns.has('name') || !columns.has('work')) problems.push(`Line ${header.info.lines}: the header must name at least the columns Name and Work`);
  if (problems.length) return { ok: false, problems };
  const imported: LocalDirectoryEntry[] = [];
  for (const { record, info } of rows) {
    if (record.length > names.length) {
      problems.push(`Line ${info.lines}: ${record.length} values for ${names.length} columns`);
      continue;
    }
    const input = Object.fromEntries(LOCAL_FIELDS.map((f) => [f, columns.has(f) ? (record[columns.get(f)!] ?? '') : ''])) as LocalDirectoryInput;
    const checked = checkLocalEntry(input, `Line ${info.lines}`);
    if (checked.ok) imported.push(checked.value);
    else problems.push(...checked.errors.map((e) => e.message));
  }
  if (problems.length) return { ok: false, problems };
  const key = (e: LocalDirectoryEntry) => LOCAL_FIELDS.map((f) => e[f]).join('\u0000');
  const seen = new Set(mode === 'add' ? existing.map(key) : []);
  const joined = mode === 'add' ? [...existing] : [];
  for (const entry of imported) {
    if (seen.has(key(entry))) continue;
    seen.add(key(entry));
    joined.push(entry);
  }
  if (joined.length > MAX_LOCAL_ENTRIES) return { ok: false, problems: [`The directory would hold ${joined.length} entries; a base keeps at most ${MAX_LOCAL_ENTRIES}`] };
  return { ok: true, entries: joined };
}
