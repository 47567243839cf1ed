/**
 * Reading what arrives on a flow: sip.js's parser (`Core.Parser.parseMessage`) for the grammar, then the checks a
 * proxy needs before it may act on a message (RFC 3261 §16.3). Nothing here throws: anything that is not a usable SIP
 * message comes back as `malformed` with the status and a human reason, or `ignored` (keep-alive CRLFs).
 *
 * Pitfalls of the parser that this file absorbs (see ../shared/reference/stack.md):
 * - it throws on a response whose CSeq does not parse;
 * - `parseHeader()` on a header the grammar does not know (e.g. `Authorization`) deletes it — callers read those
 *   with `getHeader()` only;
 * - it trusts Content-Length: a body shorter than announced is silently truncated, so that is checked here;
 * - on a Via line with several comma-joined values (RFC 3261 §7.3.1, what SIPp's `uas` sends) it keeps the LAST value
 *   as `via`/`viaBranch`, where the top Via is the first: `topViaFromText` puts the first one back.
 */
import { Core, type URI } from 'sip.js';
import { canonicalName, headerValue, looksLikeRequest, type SipText, splitList, splitSip } from './sip-text.ts';

export type InboundMessage =
  | {
      kind: 'request';
      message: Core.IncomingRequestMessage;
      ruri: URI;
      text: SipText;
      /** `Contact: *` (REGISTER removing all bindings), which sip.js's grammar does not accept: taken out before parsing. */
      contactWildcard: boolean;
    }
  | { kind: 'response'; message: Core.IncomingResponseMessage; status: number; reason: string; text: SipText }
  | {
      kind: 'malformed';
      /** Status to answer with when the input is a request we can answer (else nothing is sent). */
      status: 400 | 505 | 513;
      problem: string;
      text: SipText | undefined;
      /** Method, when the first line looks like a request. */
      method: string | undefined;
    }
  | { kind: 'ignored' };

export interface InboundLimits {
  /** Larger messages are refused with 513 Message Too Large. */
  maxMessageBytes: number;
}

const parserLog = createParserLogger();

const CONTACT_WILDCARD = /^(?:contact|m)[ \t]*:[ \t]*\*[ \t]*\r?\n/im;

function malformed(text: SipText | undefined, request: { method: string } | undefined, problem: string, status: 400 | 505 | 513 = 400): InboundMessage {
  return { kind: 'malformed', status, problem, text, method: request?.method };
}

/** More UTF-8 bytes than `max`, counted only when the length in characters leaves a doubt (up to 3 bytes each). */
function longerThan(data: string, max: number): boolean {
  if (data.length > max) return true;
  return data.length * 3 > max && Buffer.byteLength(data, 'utf8') > max;
}

export function readInbound(data: string, limits: InboundLimits): InboundMessage {
  if (/^[\r\n]*$/.test(data)) return { kind: 'ignored' };
  const text = splitSip(data);
  const request = text ? looksLikeRequest(text.startLine) : undefined;
  if (longerThan(data, limits.maxMessageBytes)) {
    return malformed(text, request, `Message larger than ${limits.maxMessageBytes} bytes`, 513);
  }
  if (!text) return malformed(text, request, 'Not a SIP message (no line break)');
  if (request && !/SIP\/2\.0$/.test(text.startLine)) return malformed(text, request, 'Only SIP/2.0 is supported', 505);

  const wildcard = CONTACT_WILDCARD;
  // No `*` anywhere: no wildcard either, and the whole message need not be searched line by line.
  const contactWildcard = request !== undefined && data.includes('*') && wildcard.test(data);
  const parsable = contactWildcard ? data.replace(wildcard, '') : data;
  parserLog.last = undefined;
  let parsed: Core.IncomingRequestMessage | Core.IncomingResponseMessage | undefined;
  try {
    parsed = Core.Parser.parseMessage(parsable, parserLog.logger);
  } catch {
    parsed = undefined;
  }
  if (!parsed) return malformed(text, request, describeParserError(parserLog.last));

  const missing = missingHeader(parsed);
  if (missing) return malformed(text, request, missing);
  topViaFromText(parsed, text);
  const lengthProblem = contentLengthProblem(text);
  if (lengthProblem) return malformed(text, request, lengthProblem);

  if (parsed instanceof Core.IncomingRequestMessage) {
    const cseqMethod = /^\s*\d+\s+(\S+)/.exec(parsed.getHeader('cseq') ?? '')?.[1];
    if (cseqMethod !== parsed.method) return malformed(text, request, `CSeq method ${cseqMethod ?? '(none)'} does not match ${parsed.method}`);
    const maxForwards = parsed.getHeader('max-forwards');
    if (maxForwards !== undefined && !/^\d{1,3}$/.test(maxForwards.trim())) return malformed(text, request, 'Bad Max-Forwards header');
    if (!parsed.ruri) return malformed(text, request, 'Malformed Request-URI');
    return { kind: 'request', message: parsed, ruri: parsed.ruri, text, contactWildcard };
  }
  const status = parsed.statusCode;
  if (status === undefined || status < 100 || status > 699) return malformed(text, request, 'Bad status code');
  return { kind: 'response', message: parsed, status, reason: parsed.reasonPhrase ?? '', text };
}

/**
 * RFC 3261 §7.3.1: `Via: a, b` is `Via: a` then `Via: b`, and the top Via (whose branch names the transaction) is `a`.
 * Only a first Via line holding a comma needs this; one Via per line is what the parser reads right.
 */
function topViaFromText(parsed: Core.IncomingRequestMessage | Core.IncomingResponseMessage, text: SipText): void {
  const line = text.headers.find((h) => canonicalName(h.name) === 'via');
  if (!line || !line.value.includes(',')) return;
  const top = topViaSentBy(line.value);
  const via = parsed.via as { host?: string; port?: number } | undefined;
  if (via && top) {
    via.host = top.host;
    if (top.port !== undefined) via.port = top.port;
    else delete via.port;
  }
  parsed.viaBranch = top?.branch ?? /;\s*branch\s*=\s*([^;,\s]+)/i.exec(splitList(line.value)[0] ?? '')?.[1] ?? '';
}

/**
 * The sent-by and branch of the first value of a Via line holding several (`a, b`): what names the transaction
 * (RFC 3261 §17.2.3). Undefined when the first value has no readable sent-by. Also used by the REGISTER fast path.
 */
export function topViaSentBy(lineValue: string): { host: string; port: number | undefined; branch: string | undefined } | undefined {
  const top = splitList(lineValue)[0] ?? '';
  const sentBy = /^\s*SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+(\[[^\]]+\]|[^\s;:,]+)(?:\s*:\s*(\d{1,5}))?/i.exec(top);
  if (!sentBy) return undefined;
  return {
    host: sentBy[1]!,
    port: sentBy[2] === undefined ? undefined : Number(sentBy[2]),
    branch: /;\s*branch\s*=\s*([^;,\s]+)/i.exec(top)?.[1],
  };
}

function missingHeader(message: Core.IncomingRequestMessage | Core.IncomingResponseMessage): string | undefined {
  if (!message.via) return 'Missing Via header';
  if (!message.from) return 'Missing From header';
  if (!message.to) return 'Missing To header';
  if (!message.callId) return 'Missing Call-ID header';
  if (typeof message.cseq !== 'number' || !Number.isFinite(message.cseq)) return 'Missing CSeq header';
  if (message.cseq > 2 ** 31 - 1) return 'CSeq number too large';
  return undefined;
}

function contentLengthProblem(text: SipText): string | undefined {
  const declared = headerValue(text, 'content-length');
  if (declared === undefined) return undefined;
  if (!/^\d{1,9}$/.test(declared.trim())) return 'Bad Content-Length header';
  const length = Number(declared.trim());
  const actual = Buffer.byteLength(text.body, 'utf8');
  if (length > actual) return `Content-Length ${length} is larger than the body (${actual} bytes): truncated message`;
  return undefined;
}

function describeParserError(message: string | undefined): string {
  if (!message) return 'Malformed message';
  const header = /error parsing header '([^']+)'/.exec(message)?.[1];
  if (header) return `Malformed ${header} header`;
  if (/first line/.test(message)) return 'Malformed request line';
  if (/no CRLF/.test(message)) return 'Not a SIP message (no CRLF)';
  if (/malformed message/.test(message)) return 'Malformed header section';
  return message.slice(0, 120);
}

function createParserLogger(): { logger: Core.Logger; last: string | undefined } {
  const factory = new Core.LoggerFactory();
  factory.builtinEnabled = false;
  const state: { logger: Core.Logger; last: string | undefined } = { logger: factory.getLogger('sip.server.parser'), last: undefined };
  factory.connector = (level, _category, _label, content) => {
    if (level === 'error' || level === 'warn') state.last = String(content);
  };
  return state;
}

