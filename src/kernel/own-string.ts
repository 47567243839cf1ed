/**
 * A copy of a string that does not keep the text it was cut from.
 *
 * V8 represents `text.slice(…)` (and what parsers return: header values, a Call-ID, a branch) as a *sliced string*
 * pointing into the whole text, so keeping a 30-character Call-ID can keep a 1.6 KB SIP message alive. Anything kept
 * for long (the SIP timeline, remembered parses) keeps its own copy instead: the concatenation is flattened into a
 * new string of the same length + 1 by `slice`, and the original text can be collected.
 */
export function ownString(value: string): string {
  return (' ' + value).slice(1);
}

/** `ownString` for a string or null. */
export function ownStringOrNull(value: string | null): string | null {
  return value === null ? null : ownString(value);
}
