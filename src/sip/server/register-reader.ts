/**
 * The REGISTER fast path's reader: the headers the registrar needs, read straight from the text of a plainly written
 * REGISTER, without sip.js's message parser, its message object or the server's header split.
 *
 * Why: under a registration storm (SIPp, a lab of thousands of lines coming back after a reboot) parsing each REGISTER
 * with sip.js's parser, splitting it again for the answer and building the answer line by line cost more than half of
 * the server's time per registration (docs/performance.md, "SIP REGISTER rate").
 *
 * Contract: {@link readRegister} returns what the full path (inbound.ts, then the server's admit/onRequest/onRegister)
 * would read from the same text, or `undefined` whenever it is not sure that the full path would accept the message
 * and answer it as a plain registration — then the full path handles it, exactly as before. The header values that
 * sip.js's parser checks are checked here with the same parsers it goes through (`fastHeaderParse`, which returns
 * what sip.js's grammar returns or declines), so a value the grammar would refuse (a 400 on the full path) is never
 * taken here. It declines, among others:
 * - anything but `REGISTER sip:… SIP/2.0` with a Request-URI the grammar reads (no `sips:`: that is a 416 over
 *   anything but TLS);
 * - bare LF or CR line ends, folded header lines, a line without a colon, a body, a message over the size limit;
 * - a missing or repeated From, To, Call-ID, CSeq, Max-Forwards or Content-Length, or one the fast parsers do not read;
 * - a To tag (a REGISTER inside a dialog), `Max-Forwards: 0` (483), `Require` or `Proxy-Require` (420),
 *   `Contact: *` (removing every binding), a top Via without an RFC 3261 branch (RFC 2543 transaction matching);
 * - headers sip.js parses that a REGISTER does not carry (Record-Route, Content-Type, WWW-/Proxy-Authenticate,
 *   Refer-To).
 * test/sip/register-fast-path.test.ts sends the raw messages real peers send through both paths and compares answers.
 */
import type { NameAddrHeader, URI } from 'sip.js';
import { fastHeaderParse } from '../speed/fast-headers.ts';
import { topViaSentBy } from './inbound.ts';
import { canonicalName } from './sip-text.ts';

/** What the registrar reads from a REGISTER, and what its answer copies. */
export interface RawRegister {
  /** The Request-URI as written. */
  requestUri: string;
  /** The values of the Via lines as written (trimmed), top first. */
  vias: string[];
  /** Server transaction key (RFC 3261 §17.2.3), as `transactionKey` makes it from the parsed message. */
  key: string;
  from: string;
  to: string;
  callId: string;
  /** The CSeq value as written, and its number. */
  cseq: string;
  cseqNumber: number;
  /** The To URI's user: the extension registering (undefined: the To URI has none). */
  toUser: string | undefined;
  fromUser: string | undefined;
  /** The first Expires header, as written. */
  expires: string | undefined;
  /** One value per contact (a line holding several contacts gives several), as `getHeaders('contact')` gives them. */
  contacts: string[];
  /** The URI of each contact. Read-only: it may be shared with other REGISTERs of the same contact. */
  contactUris: URI[];
  authorizations: string[];
  userAgent: string | null;
}

interface ContactEntry {
  position: number;
  offset: number;
  parsed: NameAddrHeader;
}

/**
 * Parses that do not change from one REGISTER of a phone to the next (its To, its Contact, the Request-URI) are
 * remembered by their text, read-only. Bounded: started afresh when full.
 */
const REMEMBERED_MAX = 4096;
const toParses = new Map<string, NameAddrHeader | null>();
const contactParses = new Map<string, ContactEntry[] | null>();
const requestUris = new Map<string, boolean>();

function remember<T>(memory: Map<string, T>, key: string, value: T): T {
  if (memory.size >= REMEMBERED_MAX) memory.clear();
  // An own copy of the key: a slice would keep the whole message alive.
  memory.set((' ' + key).slice(1), value);
  return value;
}

function parsedTo(value: string): NameAddrHeader | undefined {
  let parsed = toParses.get(value);
  if (parsed === undefined) parsed = remember(toParses, value, (fastHeaderParse(value, 'To') as NameAddrHeader | undefined) ?? null);
  return parsed ?? undefined;
}

function parsedContacts(value: string): ContactEntry[] | undefined {
  let parsed = contactParses.get(value);
  if (parsed === undefined) parsed = remember(contactParses, value, (fastHeaderParse(value, 'Contact') as ContactEntry[] | undefined) ?? null);
  return parsed ?? undefined;
}

function readableRequestUri(uri: string): boolean {
  let ok = requestUris.get(uri);
  if (ok === undefined) ok = remember(requestUris, uri, uri.startsWith('sip:') && fastHeaderParse(uri, 'SIP_URI') !== undefined);
  return ok;
}

/** A CR not followed by LF, or an LF not preceded by CR. */
const BARE_LINE_END = /\r(?!\n)|(?<!\r)\n/;
const CSEQ = /^(\d{1,10})[ \t]+REGISTER$/;
const DIGITS_1_3 = /^\d{1,3}$/;
const DIGITS_1_9 = /^\d{1,9}$/;

/**
 * The REGISTER in `data`, read by hand, or undefined: not a REGISTER, or not one this reader is sure about (see the
 * file's header). `maxBytes`: the server's message size limit (a longer message gets 513 on the full path).
 */
export function readRegister(data: string, maxBytes: number): RawRegister | undefined {
  if (!data.startsWith('REGISTER ')) return undefined;
  if (data.length > maxBytes || (data.length * 3 > maxBytes && Buffer.byteLength(data, 'utf8') > maxBytes)) return undefined;
  const headEnd = data.indexOf('\r\n\r\n');
  // No body: a REGISTER carries none, and whatever follows the blank line would need Content-Length's checks.
  if (headEnd === -1 || headEnd + 4 !== data.length) return undefined;
  const head = data.slice(0, headEnd);
  if (BARE_LINE_END.test(head)) return undefined;
  const lines = head.split('\r\n');

  const requestLine = lines[0]!;
  const uriEnd = requestLine.indexOf(' ', 9);
  if (uriEnd === -1 || requestLine.length !== uriEnd + 8 || !requestLine.endsWith(' SIP/2.0')) return undefined;
  const requestUri = requestLine.slice(9, uriEnd);
  if (!readableRequestUri(requestUri)) return undefined;

  const vias: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let maxForwards: string | undefined;
  let contentLength: string | undefined;
  let expires: string | undefined;
  let userAgent: string | null = null;
  const contacts: string[] = [];
  const contactUris: URI[] = [];
  const authorizations: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) return undefined; // folded onto the line before
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const value = line.slice(colon + 1).trim();
    switch (canonicalName(line.slice(0, colon))) {
      case 'via':
        vias.push(value);
        break;
      case 'from':
        if (from !== undefined) return undefined;
        from = value;
        break;
      case 'to':
        if (to !== undefined) return undefined;
        to = value;
        break;
      case 'call-id':
        if (callId !== undefined || fastHeaderParse(value, 'Call_ID') === undefined) return undefined;
        callId = value;
        break;
      case 'cseq':
        if (cseq !== undefined) return undefined;
        cseq = value;
        break;
      case 'max-forwards':
        if (maxForwards !== undefined) return undefined;
        maxForwards = value;
        break;
      case 'content-length':
        if (contentLength !== undefined) return undefined;
        contentLength = value;
        break;
      case 'contact': {
        const entries = parsedContacts(value);
        if (!entries) return undefined;
        for (const entry of entries) {
          contacts.push(value.substring(entry.position, entry.offset));
          contactUris.push(entry.parsed.uri);
        }
        break;
      }
      case 'expires':
        expires ??= value;
        break;
      case 'authorization':
        authorizations.push(value);
        break;
      case 'user-agent':
        userAgent ??= value;
        break;
      case 'require':
      case 'proxy-require':
      case 'record-route':
      case 'content-type':
      case 'www-authenticate':
      case 'proxy-authenticate':
      case 'refer-to':
        return undefined;
    }
  }
  if (vias.length === 0 || from === undefined || to === undefined || callId === undefined || cseq === undefined) return undefined;
  if (maxForwards !== undefined && (!DIGITS_1_3.test(maxForwards) || Number(maxForwards) === 0)) return undefined;
  if (contentLength !== undefined && (!DIGITS_1_9.test(contentLength) || Number(contentLength) !== 0)) return undefined;
  const cseqMatch = CSEQ.exec(cseq);
  if (!cseqMatch) return undefined;
  const cseqNumber = Number(cseqMatch[1]);
  if (cseqNumber > 2 ** 31 - 1) return undefined;

  // The first Via line must parse as a whole (sip.js parses it, commas and all); its first value names the transaction.
  const top = vias[0]!;
  const via = fastHeaderParse(top, 'Via') as { host: string; port?: number; branch?: string } | undefined;
  if (!via) return undefined;
  let host = via.host;
  let port = via.port;
  let branch = via.branch;
  if (top.includes(',')) {
    const sentBy = topViaSentBy(top);
    if (!sentBy) return undefined;
    ({ host, port, branch } = sentBy);
  }
  if (branch === undefined || !branch.startsWith('z9hG4bK')) return undefined;

  const fromHeader = fastHeaderParse(from, 'From') as NameAddrHeader | undefined;
  const toHeader = parsedTo(to);
  if (!fromHeader || !toHeader || toHeader.getParam('tag') !== undefined) return undefined;
  return {
    requestUri,
    vias,
    key: `${branch}|${host}:${port ?? ''}|REGISTER`,
    from,
    to,
    callId,
    cseq,
    cseqNumber,
    toUser: toHeader.uri.user,
    fromUser: fromHeader.uri.user,
    expires,
    contacts,
    contactUris,
    authorizations,
    userAgent,
  };
}
