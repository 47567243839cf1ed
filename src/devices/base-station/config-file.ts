/**
 * The base's configuration file format, used by ITSP provisioning and by configuration export/import.
 *
 * RTX-based DECT bases read text files of `%KEY%: value` lines (modelling choice for Rove, docs/fidelity.md):
 *
 *     %FWU_SERVER%: "http://downloads.polycom.com/"
 *     %PROV_INTERVAL%: 3600
 *
 * Blank lines and lines starting with `#` or `;` are ignored. Values may be double-quoted (with `\"` and `\\`).
 */
export interface ParsedConfig {
  values: Record<string, string>;
  errors: Array<{ line: number; message: string }>;
}

const LINE = /^%([A-Z0-9_]+)%\s*:\s*(.*)$/;

/** Files already parsed, by their text (see parseConfigFile). */
const parsedFiles = new Map<string, ParsedConfig>();
const PARSED_MAX = 4_096;
/** Larger texts (an imported configuration, not a fetched file) are parsed each time, not kept. */
const PARSED_MAX_CHARS = 16_384;

/**
 * Parses a configuration file. A base fetches the same files again and again (every handset's file on every
 * provisioning round and reboot: ~8,700 parses of far fewer distinct texts in the full-scale rehearsal), so results are
 * remembered by text; each caller gets its own copy, as from a fresh parse (callers keep and may change the values).
 */
export function parseConfigFile(text: string): ParsedConfig {
  if (text.length > PARSED_MAX_CHARS) return parse(text);
  let parsed = parsedFiles.get(text);
  if (parsed === undefined) {
    parsed = parse(text);
    if (parsedFiles.size >= PARSED_MAX) parsedFiles.clear();
    parsedFiles.set(text, parsed);
  }
  return { values: { ...parsed.values }, errors: parsed.errors.map((e) => ({ ...e })) };
}

function parse(text: string): ParsedConfig {
  const values: Record<string, string> = {};
  const errors: ParsedConfig['errors'] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const m = LINE.exec(line);
    if (!m) {
      errors.push({ line: i + 1, message: `expected %KEY%: value, got "${line.slice(0, 60)}"` });
      return;
    }
    const [, key, rawValue] = m as unknown as [string, string, string];
    const value = unquote(rawValue.trim());
    if (value === undefined) errors.push({ line: i + 1, message: `unterminated quoted value for %${key}%` });
    else values[key] = value;
  });
  return { values, errors };
}

function unquote(v: string): string | undefined {
  if (!v.startsWith('"')) return v;
  if (v.length < 2 || !v.endsWith('"') || v.endsWith('\\"') && !v.endsWith('\\\\"')) return undefined;
  return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

const NEEDS_ESCAPE = /[\\"]/;

/** A key of a file the base applied, as it stores it (with or without the %…%). */
export function fileValue(values: Record<string, string> | undefined, key: string): string | undefined {
  return values?.[key] ?? values?.[`%${key}%`];
}

export function serializeConfigFile(values: Record<string, string>, header: string[] = []): string {
  const lines = header.map((h) => `# ${h}`);
  for (const [key, value] of Object.entries(values)) {
    // Most values have nothing to escape: test first rather than always run the replace (a file per handset fetch).
    lines.push(`%${key}%: "${NEEDS_ESCAPE.test(value) ? value.replace(/[\\"]/g, (c) => `\\${c}`) : value}"`);
  }
  return `${lines.join('\n')}\n`;
}
