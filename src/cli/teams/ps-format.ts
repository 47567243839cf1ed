/**
 * Objects printed the way PowerShell prints them: `Format-List` blocks (`Name : Value`, names padded) and
 * `Format-Table` (headers, dashes, columns as wide as their widest cell). Dates as an en-US PowerShell session shows a
 * `DateTime` (here in UTC): `11/2/2026 9:00:00 AM`.
 */

export type Row = Record<string, unknown>;

export function psDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function psValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `{${v.map(psValue).join(', ')}}`;
  if (typeof v === 'object') return `@{${Object.entries(v as Row).map(([k, x]) => `${k}=${psValue(x)}`).join('; ')}}`;
  return String(v);
}

export function formatList(objects: readonly Row[]): string {
  const blocks = objects.map((o) => {
    const keys = Object.keys(o);
    const width = Math.max(0, ...keys.map((k) => k.length));
    return keys.map((k) => `${k.padEnd(width)} : ${psValue(o[k])}`).join('\n');
  });
  return `\n${blocks.join('\n\n')}\n\n`;
}

export function formatTable(rows: readonly Row[], columns?: readonly string[]): string {
  if (rows.length === 0) return '';
  const cols = columns ?? Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => psValue(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: readonly string[]) => vals.map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i]!))).join(' ').trimEnd();
  return `\n${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${cells.map(line).join('\n')}\n\n`;
}
