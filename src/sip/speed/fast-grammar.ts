/**
 * sip.js's SIP grammar, built once per process instead of on every parse.
 *
 * Why: sip.js 0.21.2 ships a peggy-generated parser whose `peg$parse(input, options)` builds its whole grammar on
 * **every call** — ~800 constants (expectation objects, regular expressions, action closures) and ~230 rules decoded
 * from `peg$decode("…")` strings — before it reads a character, and sip.js calls it once per header of every
 * message. Profiles of rehearsals put 2/3 of the CPU time there (about 3.6 ms a message on the project's VM; a
 * one-digit `Content-Length` cost 40 µs).
 *
 * How: the generated file (`sip.js/lib/grammar/pegjs/dist/grammar.js`) is read as text and its `peg$parse` is split
 * statement by statement: the tables (`peg$consts`, `peg$bytecode`, `peg$startRuleIndices`, `peg$FAILED`) and the
 * helper functions move to the top of the module and are built once; the parse state (`input`, `options`, positions,
 * failure records, declared with `let`/`const` in the function) becomes module variables that each call sets afresh,
 * in the order the generated code set them. The actions in `peg$consts` read and write that state (`options.data`,
 * `peg$currPos`, `text()`), so they see the current parse. This is sound because a parse is synchronous and never
 * re-entered (no action calls the parser). The module is then evaluated as a function body with the same
 * `NameAddrHeader` and `URI` classes sip.js uses, and `Grammar.parse` — the one entry sip.js's own code goes through
 * (parser, incoming messages, user agent, registerer) — is pointed at it, with the same contract (result in
 * `options.data`, `-1` when the input does not parse). Nothing in `node_modules` is written, so the change survives
 * `npm ci` and cannot half-apply.
 *
 * On top, parses are remembered (`copyOfParse`, below): the same header values come back in every exchange. The values
 * that change in every message (a Via's branch, tags, nonces) would always miss that memory; the common shapes of
 * those are read by hand-written parsers first (fast-headers.ts, same results, 1–3 µs instead of 30–80 µs).
 *
 * If the file does not have the expected shape (another sip.js version), nothing is replaced and the reason is
 * returned: parsing stays correct, only slower. test/sip/fast-grammar.test.ts checks both parsers agree.
 *
 * Installed by `installSipSpeedups()` (sip-speedups.ts), never as a side effect of an import.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Grammar, NameAddrHeader, URI } from 'sip.js';
import { InsertionOrder } from '../../kernel/insertion-order.ts';
import { ownString } from '../../kernel/own-string.ts';
import { fastHeaderParse } from './fast-headers.ts';

type PegParse = (input: string, options: { startRule?: string; data?: unknown }) => unknown;

export type FastGrammarStatus = { installed: true } | { installed: false; reason: string };

const PARSE_START = 'function peg$parse(input, options) {\n';
const PARSE_END = '\n}\nexport const parse = peg$parse;';
/** Constants of `peg$parse` that hold no parse state: built once. Every other `const`/`let` is per parse. */
const TABLES = new Set(['peg$FAILED', 'peg$startRuleIndices', 'peg$consts', 'peg$bytecode']);

/** Splits a function body (4-space indented) into its top-level statements. */
function statements(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split('\n')) {
    const starts = /^ {4}[^ }\])]/.test(line) && !/^ {4}else\b/.test(line);
    if (starts || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}

/** The transformed module body: returns `{ parse }` when run with `NameAddrHeader` and `URI`. */
export function fastGrammarSource(source: string): string {
  const imports = ['import { NameAddrHeader } from "../../name-addr-header.js";\n', 'import { URI } from "../../uri.js";\n'];
  for (const line of imports) {
    if (!source.includes(line)) throw new Error(`expected import not found: ${line.trim()}`);
    source = source.replace(line, '');
  }
  if (!source.includes('export class SyntaxError ')) throw new Error('expected "export class SyntaxError"');
  source = source.replace('export class SyntaxError ', 'class SyntaxError ');
  const start = source.indexOf(PARSE_START);
  const end = source.indexOf(PARSE_END);
  if (start < 0 || end < start) throw new Error('expected "function peg$parse(input, options) {" … "export const parse = peg$parse;"');
  const before = source.slice(0, start);
  const body = source.slice(start + PARSE_START.length, end);
  if (/^\s*(import|export)\s/m.test(before)) throw new Error('unexpected import or export left in the grammar');

  const once: string[] = []; // module level, run once
  const state: string[] = ['input', 'options']; // module variables
  const perCall: string[] = ['input = input$;', 'options = options$;']; // the body of the new peg$parse, in order
  for (const statement of statements(body)) {
    const declaration = /^ {4}(const|let) (peg\$\w+|\w+)( = ([\s\S]*))?;$/.exec(statement);
    if (/^ {4}function /.test(statement)) once.push(statement);
    else if (declaration && TABLES.has(declaration[2]!)) {
      if (declaration[1] !== 'const') throw new Error(`expected ${declaration[2]} to be a const`);
      once.push(statement);
    } else if (declaration) {
      state.push(declaration[2]!);
      perCall.push(`    ${declaration[2]} = ${declaration[4] ?? 'undefined'};`);
    } else perCall.push(statement);
  }
  for (const table of TABLES) if (!once.some((s) => s.startsWith(`    const ${table} = `))) throw new Error(`expected the table ${table}`);
  if (!perCall.some((s) => s.includes('peg$result = peg$parseRule(peg$startRuleIndex);'))) throw new Error('expected the start of the parse');
  return [
    '"use strict";',
    before,
    `let ${state.join(', ')};`,
    ...once,
    'function peg$parse(input$, options$) {',
    ...perCall,
    '}',
    'return { parse: peg$parse };',
  ].join('\n');
}

/**
 * Parses remembered: the same header value comes back again and again (a REGISTER and its 401, the authenticated
 * REGISTER and its 200, every refresh of a registration carry the same From, To, Call-ID and Contact), and parsing one
 * costs 50–300 µs. Callers get their own copy (sip.js may change what it was given), so a remembered parse is only
 * ever read. Bounded; the oldest goes first.
 */
const REMEMBERED_MAX = 10_000;
const REMEMBERED_INPUT_MAX = 1_000;
const NOT_COPYABLE = Symbol('not copyable');

/**
 * A deep copy of a parse result with the same prototypes (`URI`, `NameAddrHeader`, plain objects and arrays; that is
 * all the grammar builds) and the same own properties. Anything else is not remembered.
 */
export function copyOfParse(value: unknown, keep = false): unknown {
  // To be kept: a slice of the message would keep the whole message (own-string.ts).
  if (typeof value === 'string') return keep ? ownString(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const copy = copyOfParse(item, keep);
      if (copy === NOT_COPYABLE) return NOT_COPYABLE;
      out.push(copy);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== URI.prototype && proto !== NameAddrHeader.prototype) return NOT_COPYABLE;
  const out = Object.create(proto) as Record<string, unknown>;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return NOT_COPYABLE; // inherited enumerable properties: not a plain result
    const copy = copyOfParse((value as Record<string, unknown>)[key], keep);
    if (copy === NOT_COPYABLE) return NOT_COPYABLE;
    out[key] = copy;
  }
  return out;
}

let status: FastGrammarStatus | undefined;
let fastHeaders = true;
/** sip.js's own `Grammar.parse`, kept while ours is in place. */
let shippedParse: typeof Grammar.parse | undefined;
/** The decode-once parser, built on the first install and reused by later ones. */
let decodeOnce: PegParse | undefined;

/**
 * Turns the hand-written header parsers (fast-headers.ts) off or on again, for benchmarks and tests that compare with
 * the grammar alone. On by default.
 */
export function useFastHeaders(on: boolean): void {
  fastHeaders = on;
}

/** Points sip.js's `Grammar.parse` at the decode-once parser. Idempotent; returns whether it is in place. */
export function installFastSipGrammar(): FastGrammarStatus {
  if (status) return status;
  try {
    if (!decodeOnce) {
      const file = fileURLToPath(new URL('./grammar/pegjs/dist/grammar.js', import.meta.resolve('sip.js')));
      const body = fastGrammarSource(readFileSync(file, 'utf8'));
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating sip.js's own generated grammar, see above
      decodeOnce = (new Function('NameAddrHeader', 'URI', body)(NameAddrHeader, URI) as { parse: PegParse }).parse;
    }
    const parse = decodeOnce;
    const remembered = new Map<string, unknown>();
    const rememberedOrder = new InsertionOrder<string>();
    shippedParse = Grammar.parse;
    Grammar.parse = (input: string, startRule: string) => {
      if (fastHeaders) {
        const fast = fastHeaderParse(input, startRule); // a fresh result, or undefined: not a shape it knows
        if (fast !== undefined) return fast;
      }
      // Looked up with a key of the moment; only a key that is kept gets its own copy (below).
      const lookup = `${startRule}\n${input}`;
      const known = remembered.get(lookup);
      if (known !== undefined || remembered.has(lookup)) return copyOfParse(known);
      const key = ownString(lookup);
      const options: { startRule: string; data?: unknown } = { startRule };
      try {
        parse(input, options);
      } catch {
        options.data = -1;
      }
      const copy = copyOfParse(options.data, true);
      if (copy !== NOT_COPYABLE && input.length <= REMEMBERED_INPUT_MAX) {
        if (remembered.size >= REMEMBERED_MAX) remembered.delete(rememberedOrder.takeOldest(remembered)!);
        remembered.set(key, copy);
        rememberedOrder.added(key, remembered);
      }
      return options.data;
    };
    status = { installed: true };
  } catch (err) {
    status = { installed: false, reason: (err as Error).message };
  }
  return status;
}

/** Gives sip.js its own `Grammar.parse` back (and forgets the remembered parses). Idempotent. */
export function uninstallFastSipGrammar(): void {
  if (shippedParse) Grammar.parse = shippedParse;
  shippedParse = undefined;
  status = undefined;
}
