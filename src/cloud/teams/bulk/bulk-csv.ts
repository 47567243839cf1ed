/**
 * The `-DeviceDetailsFilePath` file of `New-CsSdgBulkSignInRequest` [seed 003, MS]: a CSV with the header
 * `Username,HardwareId`, one device per row, e.g. `FirstFloorLobbyPhone1@contoso.com,1A-2B-3C-D4-E5-F6`; at most 100
 * devices per request.
 *
 * Read with csv-parse, as Import-Csv would: a UTF-8 BOM is dropped, fields may be quoted (`"a,b"`, `""` inside quotes),
 * blank lines and lines of empty fields are skipped, spaces around fields are trimmed. Header names are matched
 * without regard to case or surrounding spaces (the seed itself writes `Username, HardwareId`); their order is free
 * and extra columns are ignored. Anything else wrong with the file is refused as a whole, with the line number and the
 * reason, and nothing is submitted.
 *
 * A hardware id of the wrong shape is *not* a file error for the cmdlet: the service answers it per device with
 * "Input hardware-ID is of wrong format". The bulk sign-in tool checks it up front (`strictHardwareIds`), as the seed's
 * GUI "checks the format of the file".
 */
import { readCsvRecords } from '../../../kernel/csv-records.ts';

export const BULK_MAX_DEVICES = 100;

export interface BulkCsvRow {
  /** Line of the file (the header is line 1). */
  row: number;
  userName: string;
  /** As written in the file. */
  hardwareId: string;
}

export interface BulkCsvProblem {
  /** Line of the file; 0 for the file as a whole. */
  row: number;
  message: string;
}

export type BulkCsvResult = { ok: true; rows: BulkCsvRow[] } | { ok: false; problems: BulkCsvProblem[] };

export interface BulkCsvOptions {
  /** Most devices accepted (default 100). */
  maxDevices?: number;
  /**
   * The bulk sign-in tool's format check: also refuse rows with an empty Username or HardwareId, a space in the user
   * name, or a hardware id of the wrong shape (the service answers each such row on its own).
   */
  strictHardwareIds?: boolean;
}

/** A parsed `HardwareId`: 12 upper-case hex digits, and the ATA port of a `:001` suffix. */
export interface BulkHardwareId {
  hardwareId: string;
  port: string | null;
}

/**
 * `1A-2B-3C-D4-E5-F6`, optionally with an ATA port `:001` [MS]. A Rove handset's is `00` + IPEI:
 * `00-00-87-65-43-21`. Other spellings (no dashes, colons) are the wrong format.
 */
export function parseBulkHardwareId(input: string): BulkHardwareId | undefined {
  const m = /^([0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})(?::(\d{3}))?$/.exec(input.trim());
  return m ? { hardwareId: m[1]!.replace(/-/g, '').toUpperCase(), port: m[2] ?? null } : undefined;
}

/** Why a `HardwareId` has the wrong format, for the tool's check. */
export function hardwareIdFormatProblem(input: string): string | undefined {
  if (parseBulkHardwareId(input)) return undefined;
  const compact = input.trim().replace(/[-:.\s]/g, '');
  const hint = /^[0-9A-Fa-f]{10}$/.test(compact)
    ? ' (10 hex digits look like an IPEI: a Rove handset\'s hardware id is "00" + IPEI, e.g. 00-00-87-65-43-21)'
    : /^[0-9A-Fa-f]{12}$/.test(compact)
      ? ' (write it with dashes: xx-xx-xx-xx-xx-xx)'
      : '';
  return `HardwareId "${input.trim()}" is not of the form xx-xx-xx-xx-xx-xx (optionally :001 for an ATA port)${hint}`;
}

export function parseBulkSignInCsv(text: string, options: BulkCsvOptions = {}): BulkCsvResult {
  const max = options.maxDevices ?? BULK_MAX_DEVICES;
  const read = readCsvRecords(text, { maxRecordSize: 4096 });
  if (!read.ok) return { ok: false, problems: [{ row: read.line, message: `the file is not valid CSV: ${read.message}` }] };
  const records = read.records;
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ row: 0, message: 'the file is empty: it needs the header Username,HardwareId and one row per device' }] };
  const names = header.record.map((h) => h.trim().toLowerCase());
  const user = names.indexOf('username');
  const hw = names.indexOf('hardwareid');
  if (user < 0 || hw < 0) {
    const missing = [user < 0 ? 'Username' : null, hw < 0 ? 'HardwareId' : null].filter(Boolean).join(' and ');
    return {
      ok: false,
      problems: [{ row: header.info.lines, message: `the header must be Username,HardwareId (missing ${missing}; found "${header.record.join(',')}")` }],
    };
  }
  const dup = names.findIndex((n, i) => (n === 'username' || n === 'hardwareid') && names.indexOf(n) !== i);
  if (dup >= 0) return { ok: false, problems: [{ row: header.info.lines, message: `the header names the column ${header.record[dup]} twice` }] };
  if (body.length === 0) return { ok: false, problems: [{ row: 0, message: 'the file has no devices: add one row per device under the header Username,HardwareId' }] };
  if (body.length > max) {
    return {
      ok: false,
      problems: [{ row: body[max]!.info.lines, message: `at most ${max} devices per request: the file has ${body.length} (split it into files of ${max})` }],
    };
  }
  const problems: BulkCsvProblem[] = [];
  const rows = body.map(({ record, info }) => {
    const row = { row: info.lines, userName: record[user] ?? '', hardwareId: record[hw] ?? '' };
    // The cmdlet only imports the file and sends it: the service answers such rows one by one ("User not found in
    // tenant.", "Input hardware-ID is of wrong format"). The tool checks them up front.
    if (!options.strictHardwareIds) return row;
    if (row.userName === '') problems.push({ row: row.row, message: 'Username is empty' });
    else if (/\s/.test(row.userName)) problems.push({ row: row.row, message: `Username "${row.userName}" contains a space` });
    if (row.hardwareId === '') problems.push({ row: row.row, message: 'HardwareId is empty' });
    else {
      const why = hardwareIdFormatProblem(row.hardwareId);
      if (why) problems.push({ row: row.row, message: why });
    }
    return row;
  });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

/** One line for a refusal: `line 3: HardwareId is empty; line 7: ...`. */
export function describeCsvProblems(problems: readonly BulkCsvProblem[]): string {
  return problems.map((p) => (p.row > 0 ? `line ${p.row}: ${p.message}` : p.message)).join('; ');
}
