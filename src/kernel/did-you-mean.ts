/**
 * "Did you mean …": the known word nearest to a misspelt one, by edit distance (Damerau–Levenshtein, optimal string
 * alignment: an insertion, deletion, substitution or swap of two neighbours counts 1). Used where a name is checked
 * before anything runs (scenario files, fault targets), so the message can name the fix.
 */

/** Edits that turn `a` into `b`, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/**
 * The candidate nearest to `word`, if it is near enough to be a slip of the keyboard: at most a third of the word's
 * length in edits (at least 1, at most 3), or a candidate that differs only in case. Ties go to the first candidate.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word, c);
    if (d < bestDistance && d <= limit) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` when a candidate is near `word`, else `fallback` (e.g. ` (known: a, b)`), else ''. */
export function didYouMean(word: string, candidates: Iterable<string>, fallback = ''): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? fallback : ` (did you mean "${match}"?)`;
}
