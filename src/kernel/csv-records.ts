/**
 * CSV files people bring (bulk sign-in, an inventory, a directory export) read one way: csv-parse with a UTF-8 BOM
 * dropped, quoted fields, blank lines skipped, short and long rows allowed (the caller checks them with the line),
 * and any line ending — files edited on Windows and elsewhere can mix them, and csv-parse would otherwise keep the
 * first it sees. A file that is not CSV at all comes back as the line and csv-parse's reason.
 */
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  record: string[];
  /** `lines`: the line of the file the record ends on. */
  info: { lines: number };
}

export type CsvRecords = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function readCsvRecords(text: string, options: { trim?: boolean; skipEmptyValues?: boolean; maxRecordSize?: number } = {}): CsvRecords {
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: options.skipEmptyValues ?? true,
      relax_column_count: true,
      trim: options.trim ?? true,
      info: true,
      ...(options.maxRecordSize ? { max_record_size: options.maxRecordSize } : {}),
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as CsvRecord[];
    return { ok: true, records };
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, line: (err as CsvError & { lines?: number }).lines ?? 0, message: err.message };
    throw err;
  }
}
