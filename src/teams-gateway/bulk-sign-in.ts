/**
 * Bulk sign-in [seed 003, MS]: `New-CsSdgBulkSignInRequest -DeviceDetailsFilePath <csv> -Region <NOAM|EMEA|APAC>`
 * signs in up to 100 devices without passwords; `Get-CsSdgBulkSignInRequestStatus -Batchid <id>` reports each item.
 *
 * CSV: header `Username,HardwareId`, e.g. `FirstFloorLobbyPhone1@contoso.com,1A-2B-3C-D4-E5-F6`. Field names in the
 * results follow the cmdlets (`BatchId`, `BatchStatus`, `BatchItem`, `UserName`, `HardwareId`, `Status`, `Error`).
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Region } from './regions.ts';

export const BULK_SIGN_IN_MAX_DEVICES = 100;

/** The service's error texts, verbatim [seed 003]. */
export const BULK_ERRORS = {
  userNotFound: 'User not found in tenant.',
  deviceNotFound: 'Device not found in records.',
  tagMissing: 'BulkSignIn Tag missing for the device',
  offline: 'Device is offline.',
  notTrusted: 'Public IP not configured as Trusted IP.',
  deadline: 'Bulk Sign-in deadline expired.',
  duplicate: 'Duplicate devices found for bulk sign-in.',
  wrongFormat: 'Input hardware-ID is of wrong format',
} as const;

export interface BulkSignInRow {
  /** Line in the CSV (header = 1), or the position in a JSON request. */
  row: number;
  userName: string;
  hardwareId: string;
}

export interface BulkSignInItem {
  UserName: string;
  HardwareId: string;
  Status: 'Success' | 'Failed';
  Error: string | null;
}

export interface BulkSignInBatch {
  BatchId: string;
  Region: Region;
  tenantId: string;
  /** Lab-clock time of the request. */
  submittedAt: number;
  BatchStatus: 'Completed';
  BatchItem: BulkSignInItem[];
}

/** `1A-2B-3C-D4-E5-F6` (optionally `:001` for an ATA port) → 12 upper-case hex digits, else undefined. */
export function parseBulkHardwareId(input: string): string | undefined {
  const m = /^([0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})(?::\d{3})?$/.exec(input.trim());
  return m ? m[1]!.replace(/-/g, '').toUpperCase() : undefined;
}

export type BulkCsvParse = { ok: true; rows: BulkSignInRow[] } | { ok: false; problems: Array<{ row: number; message: string }> };

export function parseBulkSignInCsv(text: string): BulkCsvParse {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true, max_record_size: 4096 }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, problems: [{ row: 0, message: `The file could not be read as CSV: ${err.message}` }] };
    throw err;
  }
  const [header, ...body] = records;
  const names = header?.record.map((h) => h.toLowerCase()) ?? [];
  const user = names.indexOf('username');
  const hw = names.indexOf('hardwareid');
  if (!header || user < 0 || hw < 0) {
    return { ok: false, problems: [{ row: header?.info.lines ?? 0, message: 'The first row must be the header Username,HardwareId.' }] };
  }
  if (body.length === 0) return { ok: false, problems: [{ row: 0, message: 'The file has no devices.' }] };
  return {
    ok: true,
    rows: body.map(({ record, info }) => ({ row: info.lines, userName: record[user] ?? '', hardwareId: record[hw] ?? '' })),
  };
}
