/**
 * Durations in scenario files: a number and a unit, e.g. `500ms`, `90s`, `10m`, `2h`, `1d`, or combined (`1h30m`).
 * A bare number is milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

export const DURATION_HINT = 'e.g. 90s, 10m, 2h';

/** Milliseconds, or undefined when `value` is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = PART.lastIndex;
  }
  return end === text.length && end > 0 ? Math.round(total) : undefined;
}

/** `5400000` → `1h30m`; used in reports and progress lines. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}
