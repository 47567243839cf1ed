/** sip.js's generated grammar as shipped: what the decode-once parser and the hand-written fast paths must answer. */
type PegParse = (input: string, options: { startRule?: string; data?: unknown }) => unknown;

const original = (await import('sip.js/lib/grammar/pegjs/dist/grammar.js' as string)) as { parse: PegParse };

/** Parses like sip.js's `Grammar.parse` did before src/sip/speed/fast-grammar.ts replaced it (-1 when the input fails). */
export function originalParse(input: string, startRule: string): unknown {
  const options: { startRule: string; data?: unknown } = { startRule };
  try {
    original.parse(input, options);
  } catch {
    options.data = -1;
  }
  return options.data;
}
