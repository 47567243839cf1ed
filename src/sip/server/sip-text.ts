/**
 * SIP messages as text: a lenient split into start line, header lines and body, and the few rewrites a proxy needs
 * (push/pop Via, pop Route, add Record-Route, new Request-URI, Max-Forwards). Working on the text keeps every header
 * the proxy does not understand exactly as the sender wrote it — sip.js's parser drops headers it cannot parse.
 *
 * The split never throws: it is also what the server uses to salvage Via/From/To/Call-ID/CSeq from a message that
 * failed to parse, so that even a malformed request gets a `400 Bad Request` its sender can match.
 */
import { ownString } from '../../kernel/own-string.ts';

export interface HeaderLine {
  /** Header name as written (compact forms expanded by {@link canonicalName}). */
  name: string;
  value: string;
}

export interface SipText {
  startLine: string;
  headers: HeaderLine[];
  body: string;
}

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  r: 'refer-to',
  b: 'referred-by',
  o: 'event',
  u: 'allow-events',
  x: 'session-expires',
};

/**
 * Canonical forms of the header names seen so far. Every header lookup canonicalizes the name of every header line
 * it passes, and the same few dozen names recur in every message; a name looked up is cheaper than a name trimmed
 * and lower-cased again. Bounded, so that a peer sending made-up names cannot grow it.
 */
const canonicalNames = new Map<string, string>();
const CANONICAL_NAMES_KEPT = 512;

/** Lower-case long form of a header name (`v` → `via`). */
export function canonicalName(name: string): string {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  const lower = name.trim().toLowerCase();
  const canonical = COMPACT[lower] ?? lower;
  // Own copies: a name cut from a message would keep the whole message alive (own-string.ts).
  if (canonicalNames.size < CANONICAL_NAMES_KEPT) canonicalNames.set(ownString(name), ownString(canonical));
  return canonical;
}

/**
 * Splits a message leniently (CRLF or bare LF line ends, folded header lines joined). Returns undefined only when there
 * is no line break at all.
 */
export function splitSip(text: string): SipText | undefined {
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1) return undefined;
  const headerEnd = findHeaderEnd(text);
  const head = headerEnd === -1 ? text : text.slice(0, headerEnd.index);
  const body = headerEnd === -1 ? '' : text.slice(headerEnd.index + headerEnd.length);
  const lines = head.split(/\r?\n/);
  const startLine = (lines.shift() ?? '').trim();
  const headers: HeaderLine[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { startLine, headers, body };
}

function findHeaderEnd(text: string): { index: number; length: number } | -1 {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return -1;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

/** All values of a header, in order (comma-separated values of Via/Route/Record-Route are split). */
export function headerValues(msg: SipText, name: string): string[] {
  const wanted = canonicalName(name);
  const out: string[] = [];
  for (const h of msg.headers) {
    if (canonicalName(h.name) !== wanted) continue;
    if (LIST_HEADERS.has(wanted)) out.push(...splitList(h.value));
    else out.push(h.value);
  }
  return out;
}

export function headerValue(msg: SipText, name: string): string | undefined {
  return headerValues(msg, name)[0];
}

const LIST_HEADERS = new Set(['via', 'route', 'record-route']);

/** Splits `a, b` at commas outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** Removes the first value of a (list) header; drops the line when it held only that value. */
export function removeFirstValue(msg: SipText, name: string): string | undefined {
  const wanted = canonicalName(name);
  const index = msg.headers.findIndex((h) => canonicalName(h.name) === wanted);
  if (index === -1) return undefined;
  const line = msg.headers[index]!;
  const values = splitList(line.value);
  const first = values.shift();
  if (values.length === 0) msg.headers.splice(index, 1);
  else line.value = values.join(', ');
  return first;
}

export function removeHeader(msg: SipText, name: string): void {
  const wanted = canonicalName(name);
  msg.headers = msg.headers.filter((h) => canonicalName(h.name) !== wanted);
}

export function setHeader(msg: SipText, name: string, value: string): void {
  const wanted = canonicalName(name);
  const index = msg.headers.findIndex((h) => canonicalName(h.name) === wanted);
  if (index === -1) msg.headers.push({ name, value });
  else {
    msg.headers[index] = { name, value };
    msg.headers = msg.headers.filter((h, i) => i <= index || canonicalName(h.name) !== wanted);
  }
}

/** Inserts a header line before the first line of the same header (or first of all when there is none). */
export function prependHeader(msg: SipText, name: string, value: string): void {
  const wanted = canonicalName(name);
  const index = msg.headers.findIndex((h) => canonicalName(h.name) === wanted);
  msg.headers.splice(index === -1 ? 0 : index, 0, { name, value });
}

/** Serializes with a correct Content-Length (bytes of the UTF-8 body). */
export function renderSip(msg: SipText): string {
  const lines = [msg.startLine];
  for (const h of msg.headers) {
    if (canonicalName(h.name) === 'content-length') continue;
    lines.push(`${h.name}: ${h.value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(msg.body, 'utf8')}`);
  return lines.join('\r\n') + '\r\n\r\n' + msg.body;
}

export function cloneSip(msg: SipText): SipText {
  return { startLine: msg.startLine, headers: msg.headers.map((h) => ({ ...h })), body: msg.body };
}

/** The value of `;name=value` in a header value (outside the angle brackets), if any. */
export function headerParam(value: string, name: string): string | undefined {
  const close = value.lastIndexOf('>');
  const params = close === -1 ? value : value.slice(close + 1);
  const match = paramPattern(name).exec(params);
  return match?.[1]?.replace(/^"|"$/g, '');
}

/** The server asks for a handful of parameters (`tag`, `expires`): each pattern is compiled once. */
const paramPatterns = new Map<string, RegExp>();

function paramPattern(name: string): RegExp {
  let re = paramPatterns.get(name);
  if (!re) {
    re = new RegExp(`;\\s*${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\s*=\\s*("[^"]*"|[^;,\\s]+)`, 'i');
    if (paramPatterns.size < 64) paramPatterns.set(name, re);
  }
  return re;
}

/** Appends `;tag=...` to a From/To value that has none. */
export function withTag(value: string, tag: string): string {
  return headerParam(value, 'tag') === undefined ? `${value};tag=${tag}` : value;
}

/** Response start lines by code, for the codes this server sends. */
export const REASON_PHRASES: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  603: 'Decline',
};

export interface ResponseSpec {
  status: number;
  reason?: string;
  /** Extra header lines, `Name: value`. */
  headers?: string[];
  /** Tag added to To when it has none (not for 100 Trying). */
  toTag?: string;
  body?: string;
  contentType?: string;
}

/**
 * Builds a response to `request` (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq are copied as received; whichever
 * of them are missing (a malformed request) are simply left out.
 */
export function buildResponse(request: SipText, spec: ResponseSpec): string {
  // One pass: every Via line, and the first From, To, Call-ID and CSeq.
  const vias: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  for (const h of request.headers) {
    switch (canonicalName(h.name)) {
      case 'via':
        vias.push(h.value);
        break;
      case 'from':
        from ??= h.value;
        break;
      case 'to':
        to ??= h.value;
        break;
      case 'call-id':
        callId ??= h.value;
        break;
      case 'cseq':
        cseq ??= h.value;
        break;
    }
  }
  return responseText(spec, vias, from, to, callId, cseq);
}

/**
 * The text of a response (RFC 3261 §8.2.6) from the values of the request's Via lines (top first) and of its From, To,
 * Call-ID and CSeq (undefined: left out), as {@link buildResponse} and the REGISTER fast path (register-reader.ts)
 * both write it: one string built by concatenation, no header objects. `To` gets the spec's tag when it has none.
 */
export function responseText(
  spec: ResponseSpec,
  vias: readonly string[],
  from: string | undefined,
  to: string | undefined,
  callId: string | undefined,
  cseq: string | undefined,
): string {
  let out = `SIP/2.0 ${spec.status} ${spec.reason ?? REASON_PHRASES[spec.status] ?? 'Unknown'}`;
  for (let i = 0; i < vias.length; i++) out += '\r\nVia: ' + vias[i];
  if (from !== undefined) out += '\r\nFrom: ' + from;
  if (to !== undefined) out += '\r\nTo: ' + (spec.toTag && spec.status > 100 ? withTag(to, spec.toTag) : to);
  if (callId !== undefined) out += '\r\nCall-ID: ' + callId;
  if (cseq !== undefined) out += '\r\nCSeq: ' + cseq;
  const extra = spec.headers;
  if (extra !== undefined) {
    for (let i = 0; i < extra.length; i++) {
      const line = extra[i]!;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      // renderSip writes the Content-Length itself, whatever a header line says.
      if (canonicalName(name) === 'content-length') continue;
      out += '\r\n' + name + ': ' + line.slice(colon + 1).trim();
    }
  }
  const body = spec.body ?? '';
  if (body && spec.contentType) out += '\r\nContent-Type: ' + spec.contentType;
  return out + '\r\nContent-Length: ' + (body ? Buffer.byteLength(body, 'utf8') : 0) + '\r\n\r\n' + body;
}

/** First line of a request: `METHOD uri SIP/2.0`, leniently (used to decide whether a broken message deserves a 400). */
export function looksLikeRequest(startLine: string): { method: string } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9.!%*_+`'~-]*)\s+\S+\s+SIP\/\S+$/.exec(startLine);
  return match ? { method: match[1]!.toUpperCase() } : undefined;
}

/** Quotes a string for use inside a quoted-string (Warning text, Reason text). */
export function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '').replace(/[\r\n]+/g, ' ')}"`;
}
