/**
 * sip.js's SIP grammar, with its bytecode decoded once instead of on every parse.
 *
 * Why: sip.js 0.21.2 ships a peggy-generated parser whose `peg$parse` rebuilds its whole grammar on **every call**:
 * ~230 `peg$decode("…")` strings turned into number arrays before a single character of input is read, and sip.js
 * calls it once per header of every message. Profiles of rehearsals put 2/3 of the CPU time there (about 3.6 ms a
 * message on the project's VM). The decoded bytecode is pure data — it never changes between calls — so it can be
 * built once per process.
 *
 * How: the generated file (`sip.js/lib/grammar/pegjs/dist/grammar.js`) is read as text, the one statement that
 * builds `peg$bytecode` is made to remember its result, and the module is evaluated as a function body with the
 * same `NameAddrHeader` and `URI` classes sip.js uses. `Grammar.parse` — the only entry sip.js's own code goes
 * through (parser, incoming messages, user agent, registerer) — is then pointed at it, with the same contract
 * (result in `options.data`, `-1` when the input does not parse). Nothing in `node_modules` is written, so the
 * change survives `npm ci` and cannot half-apply. The grammar tables that hold closures over the parse state
 * (`peg$consts`) are left as generated.
 *
 * If the file does not have the expected shape (another sip.js version), nothing is replaced and the reason is
 * returned: parsing stays correct, only slower. test/sip/fast-grammar.test.ts checks both parsers agree.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Grammar, NameAddrHeader, URI } from 'sip.js';

type PegParse = (input: string, options: { startRule?: string; data?: unknown }) => unknown;

export type FastGrammarStatus = { installed: true } | { installed: false; reason: string };

const BYTECODE_START = '    const peg$bytecode = [\n';
const BYTECODE_END = '\n    ];\n';

/** The transformed module body: returns `{ parse }` when run with `NameAddrHeader` and `URI`. */
export function fastGrammarSource(source: string): string {
  const imports = ['import { NameAddrHeader } from "../../name-addr-header.js";\n', 'import { URI } from "../../uri.js";\n'];
  for (const line of imports) {
    if (!source.includes(line)) throw new Error(`expected import not found: ${line.trim()}`);
    source = source.replace(line, '');
  }
  const start = source.indexOf(BYTECODE_START);
  if (start < 0 || source.indexOf(BYTECODE_START, start + 1) >= 0) throw new Error('expected exactly one peg$bytecode table');
  const end = source.indexOf(BYTECODE_END, start);
  if (end < 0) throw new Error('end of the peg$bytecode table not found');
  source =
    source.slice(0, start) +
    '    const peg$bytecode = peg$bytecodeOnce ?? (peg$bytecodeOnce = [\n' +
    source.slice(start + BYTECODE_START.length, end) +
    '\n    ]);\n' +
    source.slice(end + BYTECODE_END.length);
  if (!source.includes('export class SyntaxError ')) throw new Error('expected "export class SyntaxError"');
  source = source.replace('export class SyntaxError ', 'class SyntaxError ');
  if (!source.includes('export const parse = peg$parse;')) throw new Error('expected "export const parse = peg$parse;"');
  source = source.replace('export const parse = peg$parse;', 'return { parse: peg$parse };');
  if (/^\s*(import|export)\s/m.test(source)) throw new Error('unexpected import or export left in the grammar');
  return `"use strict";\nlet peg$bytecodeOnce;\n${source}`;
}

let status: FastGrammarStatus | undefined;

/** Points sip.js's `Grammar.parse` at the decode-once parser. Idempotent; returns whether it is in place. */
export function installFastSipGrammar(): FastGrammarStatus {
  if (status) return status;
  try {
    const file = fileURLToPath(new URL('./grammar/pegjs/dist/grammar.js', import.meta.resolve('sip.js')));
    const body = fastGrammarSource(readFileSync(file, 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating sip.js's own generated grammar, see above
    const { parse } = new Function('NameAddrHeader', 'URI', body)(NameAddrHeader, URI) as { parse: PegParse };
    Grammar.parse = (input: string, startRule: string) => {
      const options: { startRule: string; data?: unknown } = { startRule };
      try {
        parse(input, options);
      } catch {
        options.data = -1;
      }
      return options.data;
    };
    status = { installed: true };
  } catch (err) {
    status = { installed: false, reason: (err as Error).message };
  }
  return status;
}

installFastSipGrammar();
