/**
 * sip.js's incoming messages with header names canonicalised once per distinct name.
 *
 * Why: `IncomingMessage` runs sip.js's `headerize` (lower-case, split on `-`, capitalise each part, look up the
 * exceptions such as `Call-ID`, `CSeq`, `WWW-Authenticate`) on every `addHeader`, `setHeader`, `getHeader`,
 * `getHeaders`, `hasHeader` and `parseHeader` — a dozen times per message, ~1 s of a full-scale rehearsal. The names
 * are few; each is worked out once and remembered (bounded).
 *
 * The methods below are sip.js's own (lib/core/messages/incoming-message.js, 0.21), with `headerize` remembered; the
 * test compares them with the shipped ones. `headerizeOnce` gives exactly what sip.js's `headerize` gives.
 *
 * Installed by `installSipSpeedups()` (sip-speedups.ts), never as a side effect of an import.
 */
import { Core, Grammar } from 'sip.js';
import { ownString } from '../../kernel/own-string.ts';

const EXCEPTIONS: Readonly<Record<string, string>> = {
  'Call-Id': 'Call-ID',
  Cseq: 'CSeq',
  'Min-Se': 'Min-SE',
  Rack: 'RAck',
  Rseq: 'RSeq',
  'Www-Authenticate': 'WWW-Authenticate',
};

/** sip.js's `headerize`, as shipped. */
export function headerize(str: string): string {
  const name = str.toLowerCase().replace(/_/g, '-').split('-');
  let hname = '';
  for (let part = 0; part < name.length; part++) {
    if (part !== 0) hname += '-';
    hname += name[part]!.charAt(0).toUpperCase() + name[part]!.substring(1);
  }
  return EXCEPTIONS[hname] ?? hname;
}

const KNOWN_MAX = 2_000;
const known = new Map<string, string>();
const rules = new Map<string, string>();

/** `headerize`, remembered per distinct input (names only: long inputs are not kept). */
export function headerizeOnce(str: string): string {
  let canonical = known.get(str);
  if (canonical === undefined) {
    canonical = headerize(str);
    if (str.length <= 64) {
      if (known.size >= KNOWN_MAX) known.clear();
      known.set(ownString(str), canonical); // the name may be a slice of a whole message
    }
  }
  return canonical;
}

/** The grammar rule of a canonical header name (`Call-ID` → `Call_ID`), as `parseHeader` derives it. */
function ruleOf(name: string): string {
  let rule = rules.get(name);
  if (rule === undefined) {
    rule = name.replace(/-/g, '_');
    if (rules.size < KNOWN_MAX) rules.set(name, rule);
  }
  return rule;
}

type Header = { raw: string; parsed?: unknown };
type Message = { headers: Record<string, Header[] | undefined> };

/** The methods replaced on sip.js's `IncomingMessage.prototype`. */
export const HEADERIZE_METHODS = ['addHeader', 'getHeader', 'getHeaders', 'hasHeader', 'parseHeader', 'setHeader'] as const;

/** sip.js's own methods, kept while ours are in place. */
let shipped: Map<string, PropertyDescriptor | undefined> | undefined;

/** Puts the remembering methods on sip.js's IncomingMessage (requests and responses inherit them). Idempotent. */
export function installFastHeaderize(): void {
  if (shipped) return;
  const proto = Core.IncomingMessage.prototype as unknown as Record<string, unknown>;
  shipped = new Map(HEADERIZE_METHODS.map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)]));
  proto['addHeader'] = function addHeader(this: Message, name: string, value: string): void {
    const header = { raw: value };
    const key = headerizeOnce(name);
    const list = this.headers[key];
    if (list) list.push(header);
    else this.headers[key] = [header];
  };
  proto['getHeader'] = function getHeader(this: Message, name: string): string | undefined {
    return this.headers[headerizeOnce(name)]?.[0]?.raw;
  };
  proto['getHeaders'] = function getHeaders(this: Message, name: string): string[] {
    const list = this.headers[headerizeOnce(name)];
    return list ? list.map((h) => h.raw) : [];
  };
  proto['hasHeader'] = function hasHeader(this: Message, name: string): boolean {
    return !!this.headers[headerizeOnce(name)];
  };
  proto['parseHeader'] = function parseHeader(this: Message, name: string, idx = 0): unknown {
    const key = headerizeOnce(name);
    const list = this.headers[key];
    if (!list || idx >= list.length) return undefined;
    const header = list[idx]!;
    if (header.parsed) return header.parsed;
    const parsed: unknown = Grammar.parse(header.raw, ruleOf(key));
    if (parsed === -1) {
      list.splice(idx, 1);
      return undefined;
    }
    header.parsed = parsed;
    return parsed;
  };
  proto['setHeader'] = function setHeader(this: Message, name: string, value: string): void {
    this.headers[headerizeOnce(name)] = [{ raw: value }];
  };
}

/** Gives sip.js's IncomingMessage its own methods back. Idempotent. */
export function uninstallFastHeaderize(): void {
  if (!shipped) return;
  const proto = Core.IncomingMessage.prototype as unknown as Record<string, unknown>;
  for (const [name, descriptor] of shipped) {
    if (descriptor) Object.defineProperty(proto, name, descriptor);
    else delete proto[name];
  }
  shipped = undefined;
}
