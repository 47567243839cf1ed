/**
 * "Upload MAC addresses": the `Template_Provisioning.csv` file an administrator downloads, fills in and uploads
 * [MS, seed 002]. Columns `MAC id` and `Location`.
 *
 * The reader is forgiving where spreadsheets differ (a UTF-8 byte order mark, quoted fields, blank lines, `;` as the
 * separator, header case) and strict where a mistake would provision the wrong device: every problem is reported with
 * its row number, and the gateway adds nothing unless every row is good.
 */
import { CsvError, parse } from 'csv-parse/sync';

export const TEMPLATE_FILE_NAME = 'Template_Provisioning.csv';
export const MAC_COLUMN = 'MAC id';
export const LOCATION_COLUMN = 'Location';

/** The template as downloaded: the header row only. */
export function provisioningTemplate(): string {
  return `${MAC_COLUMN},${LOCATION_COLUMN}\r\n`;
}

export interface UploadRow {
  /** Line number in the file (the header is line 1). */
  row: number;
  macAddress: string;
  location: string;
}

export interface RowProblem {
  /** Line number in the file, or 0 for the file as a whole. */
  row: number;
  macAddress?: string;
  message: string;
}

export type UploadParse = { ok: true; rows: UploadRow[] } | { ok: false; problems: RowProblem[] };

export interface UploadLimits {
  maxBytes: number;
  maxRows: number;
}

export function parseProvisioningCsv(data: Buffer | string, limits: UploadLimits): UploadParse {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes === 0) return fileProblem('The file is empty. Download the template, add one MAC address per row, and upload it again.');
  if (bytes > limits.maxBytes) {
    return fileProblem(`The file is ${bytes} bytes; files up to ${limits.maxBytes} bytes can be uploaded. Split it into smaller files.`);
  }
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.includes('\u0000')) return fileProblem('This is not a CSV text file. Save the template as CSV (comma delimited) and upload it again.');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      info: true,
      max_record_size: 4096,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      return { ok: false, problems: [{ row: line ?? 0, message: `The file could not be read as CSV: ${err.message}` }] };
    }
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return fileProblem('The file has no rows. Download the template, add one MAC address per row, and upload it again.');
  const names = header.record.map((h) => h.toLowerCase());
  const macIndex = names.indexOf(MAC_COLUMN.toLowerCase());
  const locationIndex = names.indexOf(LOCATION_COLUMN.toLowerCase());
  if (macIndex < 0 || locationIndex < 0) {
    return {
      ok: false,
      problems: [{ row: header.info.lines, message: `The first row must name the columns "${MAC_COLUMN}" and "${LOCATION_COLUMN}" as in ${TEMPLATE_FILE_NAME}; found "${header.record.join('", "')}".` }],
    };
  }
  if (body.length === 0) return fileProblem('The file has the header row only: add one MAC address per row.');
  if (body.length > limits.maxRows) {
    return fileProblem(`The file has ${body.length} devices; up to ${limits.maxRows} can be uploaded at once.`);
  }
  const problems: RowProblem[] = [];
  const rows: UploadRow[] = [];
  for (const { record, info } of body) {
    const macAddress = record[macIndex] ?? '';
    const location = record[locationIndex] ?? '';
    if (record.length > header.record.length) {
      problems.push({ row: info.lines, macAddress, message: `This row has ${record.length} fields; the header has ${header.record.length}. Quote values that contain a comma.` });
    } else if (macAddress === '') {
      problems.push({ row: info.lines, message: `"${MAC_COLUMN}" is empty.` });
    } else {
      rows.push({ row: info.lines, macAddress, location });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

function fileProblem(message: string): UploadParse {
  return { ok: false, problems: [{ row: 0, message }] };
}
