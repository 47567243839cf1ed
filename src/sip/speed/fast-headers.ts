/**
 * Hand-written parsers for the header values sip.js parses on every message, in front of its PEG grammar.
 *
 * Why: fast-grammar.ts made sip.js's generated grammar cheap to start and remembers parses, but the values that change
 * in every message still miss the memo: a Via's random branch, the tags of From and To, the nonce of a challenge, a
 * contact per device. Each miss runs the PEG parser, 30–80 µs a value (about 10 % of a full-scale rehearsal). These
 * values come in a handful of shapes (`SIP/2.0/WS host;branch=z9hG4bK…`, `"Name" <sip:user@host>;tag=…`,
 * `<sip:user@host;transport=ws>;expires=3600`, `Digest realm="…", nonce="…", algorithm=MD5, qop="auth"`), which a
 * direct scan reads in 1–3 µs.
 *
 * Contract: `fastHeaderParse(input, startRule)` returns exactly what `Grammar.parse(input, startRule)` of sip.js
 * 0.21.2 returns (the same `URI` and `NameAddrHeader` objects built through the same constructors, the same plain
 * objects with the same properties in the same order, the same numbers and lower-casing), or `undefined` when it is
 * not sure — then the PEG parser decides. It only accepts a well-formed subset and declines everything else:
 * IPv6 hosts, `%` escapes, passwords and headers in URIs, `maddr`/`ttl`/`method` URI parameters, backslashes in
 * quoted strings, line folding (CR/LF), a Contact starting with `*`, leading white space, and every value the grammar
 * would reject. It never answers `-1`: a malformed value is rare and the grammar's own answer for it is the safe one.
 *
 * How exactness is kept: the grammar's actions write into one `options.data` object while rules match, and some
 * write before a rule later fails (its ordered choices do not undo side effects). Each function below follows the
 * rules in the grammar's order and writes the same fields in the same order, and declines where a literal that
 * matches only a prefix would make the grammar commit to a different branch (`transport=tcpx`, `;lrx`, `q=0x`,
 * `algorithm=MD5-sess`, `qop="authx"`). Rule names in comments are those of sip.js's grammar.pegjs.
 * test/sip/fast-headers.test.ts compares both on a corpus of real and edge values.
 */
import { NameAddrHeader, URI } from 'sip.js';

// ── Character classes (ASCII only; every non-ASCII character is outside all of them) ─────────────────────────────

const TOKEN = 1; // token: alphanum - . ! % * _ + ` ' ~
const USER = 2; // user: unreserved, user_unreserved (& = + $ , ; ? /); "%" (escaped) left out: declined
const PASSWORD = 4; // password: unreserved, & = + $ ,
const PARAM = 8; // paramchar (pname, pvalue): param_unreserved ([ ] / : & + $), unreserved
const HOST = 16; // what hostname and IPv4address are made of: alphanum _ . -
const DIGIT = 32;

const CLASSES = new Uint8Array(128);
function give(chars: string, bits: number): void {
  for (let i = 0; i < chars.length; i++) CLASSES[chars.charCodeAt(i)]! |= bits;
}
give('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', TOKEN | USER | PASSWORD | PARAM | HOST);
give('0123456789', TOKEN | USER | PASSWORD | PARAM | HOST | DIGIT);
give("-_.!~*'()", USER | PASSWORD | PARAM); // mark
give("-.!%*_+`'~", TOKEN);
give('&=+$,;?/', USER);
give('&=+$,', PASSWORD);
give('[]/:&+$', PARAM);
give('_.-', HOST);

const SEMI = 59; // ;
const EQUALS = 61; // =
const COMMA = 44; // ,
const COLON = 58; // :
const QUOTE = 34; // "
const AT = 64; // @

function is(code: number, bits: number): boolean {
  return code < 128 && (CLASSES[code]! & bits) !== 0; // NaN (past the end) is not < 128
}

/** End of the run of characters of `bits` from `p`. */
function scan(s: string, p: number, bits: number): number {
  while (p < s.length && is(s.charCodeAt(p), bits)) p++;
  return p;
}

/** SWS as far as it is allowed here: spaces and tabs (a CR/LF stops the scan, and the caller then declines). */
function skipWs(s: string, p: number): number {
  for (let c = s.charCodeAt(p); c === 32 || c === 9; c = s.charCodeAt(++p));
  return p;
}

/** Position after the closing quote of the quoted string opening at `p` (`s[p]` is `"`), or -1 (backslash, control, unclosed). */
function quotedEnd(s: string, p: number): number {
  for (let i = p + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    // qdtext: WSP, %x21, %x23-5B, %x5D-7E, UTF8_NONASCII; the backslash of quoted_pair and everything else declined
    if (c === 92 || c === 127 || (c < 32 && c !== 9)) return -1;
  }
  return -1;
}

// ── host, hostport ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * `host_type` of `s[start, end)` (a run of HOST characters) as the grammar's `host` would set it, or undefined.
 * hostname = (domainlabel ".")* toplabel "."? — the loop never gives a label back, so every label but the last is
 * [a-zA-Z0-9_-]+ and the last must be a whole toplabel [a-zA-Z][a-zA-Z0-9-]*; a trailing dot fails. It is tried
 * before IPv4address, whose octets are 0–255 without leading zeros (dec_octet's ordered choices).
 */
function hostType(s: string, start: number, end: number): 'domain' | 'IPv4' | undefined {
  if (start === end) return undefined;
  let label = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === 46) {
      if (i === label) return undefined; // empty label (leading or double dot)
      label = i + 1;
    }
  }
  if (label === end) return undefined; // trailing dot
  const first = s.charCodeAt(label) | 32;
  if (first >= 97 && first <= 122) {
    for (let i = label; i < end; i++) if (s.charCodeAt(i) === 95) return undefined; // "_" only before the last dot
    return 'domain';
  }
  return isIPv4(s, start, end) ? 'IPv4' : undefined;
}

function isIPv4(s: string, start: number, end: number): boolean {
  let p = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(p) !== 46) return false;
      p++;
    }
    const digits = scan(s, p, DIGIT);
    const n = digits - p;
    if (n === 0 || n > 3 || (n > 1 && s.charCodeAt(p) === 48) || Number(s.slice(p, digits)) > 255) return false;
    p = digits;
  }
  return p === end;
}

// ── SIP_URI, SIP_URI_noparams ────────────────────────────────────────────────────────────────────────────────────

/** Where the last successful read ended (the parsers below return values and leave their end position here). */
let at = 0;

/** transport_param's value, lower-cased, or undefined when the grammar would not read it as a whole token. */
function transportValue(value: string): string | undefined {
  const lower = value.toLowerCase();
  if (lower === 'udp' || lower === 'tcp' || lower === 'sctp' || lower === 'tls') return lower;
  // "udp"i / "tcp"i / … match a prefix and the parameter ends there: "tcpx" fails in the grammar
  if (lower.startsWith('udp') || lower.startsWith('tcp') || lower.startsWith('sctp') || lower.startsWith('tls')) return undefined;
  return scan(value, 0, TOKEN) === value.length ? lower : undefined;
}

/**
 * A `sip:`/`sips:` URI at `p` as SIP_URI (with parameters) or SIP_URI_noparams builds it; its end in `at`.
 * No headers (`?`), no password, no escapes, no IPv6.
 */
function sipUri(s: string, p: number, withParams: boolean): URI | undefined {
  // uri_scheme = "sips"i / "sip"i, then ":" — "sips"i wins whenever the 4th letter is an s
  if ((s.charCodeAt(p) | 32) !== 115 || (s.charCodeAt(p + 1) | 32) !== 105 || (s.charCodeAt(p + 2) | 32) !== 112) return undefined;
  const schemeEnd = (s.charCodeAt(p + 3) | 32) === 115 ? p + 4 : p + 3;
  if (s.charCodeAt(schemeEnd) !== COLON) return undefined;
  const scheme = s.slice(p, schemeEnd);
  let h = schemeEnd + 1;

  // userinfo = user (":" password)? "@" — user+ is greedy and takes ; ? / , too, so scan exactly its characters
  let user: string | undefined;
  const userEnd = scan(s, h, USER);
  if (userEnd > h && s.charCodeAt(userEnd) === AT) {
    user = s.slice(h, userEnd); // decodeURIComponent() of text without "%" is the text
    h = userEnd + 1;
  } else if (userEnd > h && s.charCodeAt(userEnd) === COLON && s.charCodeAt(scan(s, userEnd + 1, PASSWORD)) === AT) {
    return undefined; // a password (the user would include it)
  }

  const hostEnd = scan(s, h, HOST);
  if (!hostType(s, h, hostEnd)) return undefined;
  const host = s.slice(h, hostEnd);
  let e = hostEnd;
  let port: number | undefined;
  if (s.charCodeAt(e) === COLON) {
    const digits = scan(s, e + 1, DIGIT);
    if (digits === e + 1 || digits - e - 1 > 5) return undefined; // port = DIGIT? ×5: none gives NaN, a 6th is left over
    port = parseInt(s.slice(e + 1, digits));
    e = digits;
  }

  let params: Record<string, string | undefined> | undefined;
  if (withParams) {
    // uri_parameters = (";" uri_parameter)*, no white space
    while (s.charCodeAt(e) === SEMI) {
      const nameEnd = scan(s, e + 1, PARAM);
      if (nameEnd === e + 1) return undefined;
      const name = s.slice(e + 1, nameEnd).toLowerCase();
      let value: string | undefined;
      e = nameEnd;
      if (s.charCodeAt(e) === EQUALS) {
        const valueEnd = scan(s, e + 1, PARAM);
        if (valueEnd === e + 1) return undefined;
        value = s.slice(e + 1, valueEnd);
        e = valueEnd;
      }
      if (name.startsWith('lr')) {
        // lr_param = "lr"i ("=" token)? matches the prefix of any such name; it sets lr to undefined
        if (name !== 'lr' || value !== undefined) return undefined;
      } else if (value !== undefined) {
        if (name === 'transport') {
          value = transportValue(value);
          if (value === undefined) return undefined;
        } else if (name === 'user') {
          value = value.toLowerCase();
          if (value !== 'phone' && value !== 'ip') return undefined;
        } else if (name === 'method' || name === 'ttl' || name === 'maddr') {
          return undefined; // method checks Method, ttl goes to the header's params, maddr overwrites the host
        }
      }
      (params ??= {})[name] = value; // other_param: the name lower-cased, the value as written
    }
    if (s.charCodeAt(e) === 63) return undefined; // "?" headers
  }
  at = e;
  // the grammar passes undefined values too (Parameters turns them into null); sip.js's types do not say so
  return new URI(scheme, user as string, host, port, params as Record<string, string> | undefined);
}

// ── name_addr / addr_spec with their header parameters ───────────────────────────────────────────────────────────

/** What the grammar collects in `options.data` for one name-addr before building the NameAddrHeader. */
interface Addr {
  uri: URI;
  displayName: string | undefined;
  params: Record<string, unknown> | undefined;
  tag: string | undefined;
}

/**
 * `(addr_spec / name_addr)` at `p`; end in `at`. addr_spec (a bare `sip:` URI, its `;…` then belong to the header)
 * is tried first, as in the grammar; name_addr = displayName? LAQUOT SIP_URI RAQUOT.
 */
function addr(s: string, p: number): Addr | undefined {
  const bare = sipUri(s, p, false);
  if (bare) return { uri: bare, displayName: undefined, params: undefined, tag: undefined };
  // From here on name_addr. An addr_spec the grammar reads and sipUri() declined starts with "sip:", which no display
  // name does (":" is neither a token character nor a quote), so it is declined below at the missing "<". What an
  // addr_spec that failed left in options.data is a scheme at most, which SIP_URI overwrites.
  let displayName: string | undefined;
  const c = s.charCodeAt(p);
  if (c === QUOTE) {
    // quoted_string: the action trims and drops the quotes, escapes are kept as written (declined here)
    const end = quotedEnd(s, p);
    if (end < 0) return undefined;
    displayName = s.slice(p + 1, end - 1);
    p = end;
  } else if (is(c, TOKEN)) {
    // token (LWS token)*: the white space between tokens is kept as written
    let end = scan(s, p, TOKEN);
    for (;;) {
      const next = skipWs(s, end);
      if (next === end || !is(s.charCodeAt(next), TOKEN)) break;
      end = scan(s, next, TOKEN);
    }
    displayName = s.slice(p, end);
    p = end;
  }
  p = skipWs(s, p); // LAQUOT = SWS "<"
  if (s.charCodeAt(p) !== 60) return undefined;
  const uri = sipUri(s, p + 1, true);
  if (!uri || s.charCodeAt(at) !== 62) return undefined;
  at = skipWs(s, at + 1); // RAQUOT = ">" SWS
  return { uri, displayName, params: undefined, tag: undefined };
}

/**
 * `EQUAL gen_value` of generic_param after a parameter name ending at `p`: the value (token or quoted string, quotes
 * kept) with its end in `at`; `undefined` (and `at = p`) without `=`; `null` when the grammar would fail.
 */
function genericValue(s: string, p: number): string | undefined | null {
  const eq = skipWs(s, p);
  if (s.charCodeAt(eq) !== EQUALS) {
    at = p;
    return undefined;
  }
  const v = skipWs(s, eq + 1);
  if (s.charCodeAt(v) === QUOTE) {
    const end = quotedEnd(s, v);
    if (end < 0) return null;
    at = end;
    return s.slice(v, end);
  }
  const end = scan(s, v, TOKEN);
  if (end === v) return null; // gen_value's host alternative ("[" IPv6) or nothing the grammar reads
  at = end;
  return s.slice(v, end);
}

/** The value after `name` `EQUAL` if the next thing at `p` is `=`: its start, or -1. */
function afterEqual(s: string, p: number): number {
  const eq = skipWs(s, p);
  return s.charCodeAt(eq) === EQUALS ? skipWs(s, eq + 1) : -1;
}

type ParamReader = (s: string, name: string, nameEnd: number, a: Addr) => boolean;

/** from_param / to_param = tag_param / generic_param: a `tag` with a token value goes apart (set last, see parseFromTo). */
const fromToParam: ParamReader = (s, name, nameEnd, a) => {
  if (name === 'tag') {
    const v = afterEqual(s, nameEnd);
    if (v >= 0) {
      const end = scan(s, v, TOKEN);
      if (end === v) return false; // tag="x" would be a generic parameter with quotes: declined
      a.tag = s.slice(v, end);
      at = end;
      return true;
    }
  }
  return genericParam(s, name, nameEnd, a);
};

/** contact_params = c_p_q / c_p_expires / contact_extension. */
const contactParam: ParamReader = (s, name, nameEnd, a) => {
  if (name === 'q' || name === 'expires') {
    const v = afterEqual(s, nameEnd);
    if (v >= 0) {
      const c = s.charCodeAt(v);
      if (name === 'q' && c === 48) {
        // qvalue = "0" ("." DIGIT? DIGIT? DIGIT?)? → parseFloat(text()); what follows is the caller's to check
        let end = v + 1;
        if (s.charCodeAt(end) === 46) {
          end++;
          for (let n = 0; n < 3 && is(s.charCodeAt(end), DIGIT); n++) end++;
        }
        (a.params ??= {}).q = parseFloat(s.slice(v, end));
        at = end;
        return true;
      }
      if (name === 'expires' && is(c, DIGIT)) {
        const end = scan(s, v, DIGIT); // delta_seconds = DIGIT+ → parseInt
        (a.params ??= {}).expires = parseInt(s.slice(v, end));
        at = end;
        return true;
      }
    }
  }
  return genericParam(s, name, nameEnd, a);
};

/** generic_param: `params[name lower-cased] = value` (undefined without `=`). */
function genericParam(s: string, name: string, nameEnd: number, a: { params: Record<string, unknown> | undefined }): boolean {
  const value = genericValue(s, nameEnd);
  if (value === null) return false;
  (a.params ??= {})[name] = value;
  return true;
}

/** `( SEMI param )*` from `p`; end in `at` (a failed SEMI gives its white space back), false when declined. */
function headerParams(s: string, p: number, a: Addr, read: ParamReader): boolean {
  for (;;) {
    const semi = skipWs(s, p);
    if (s.charCodeAt(semi) !== SEMI) break;
    const n = skipWs(s, semi + 1);
    const nameEnd = scan(s, n, TOKEN);
    if (nameEnd === n || !read(s, s.slice(n, nameEnd).toLowerCase(), nameEnd, a)) return false;
    p = at;
  }
  at = p;
  return true;
}

/** From and To: NameAddrHeader(uri, displayName, params), then the tag set last. */
function parseFromTo(s: string): NameAddrHeader | undefined {
  const a = addr(s, 0);
  if (!a || !headerParams(s, at, a, fromToParam) || at !== s.length) return undefined;
  const header = new NameAddrHeader(a.uri, a.displayName as string, a.params as Record<string, string>);
  if (a.tag) header.setParam('tag', a.tag);
  return header;
}

/** One entry of Contact's result: where the contact ended and began, and its header. */
interface ContactEntry {
  position: number;
  offset: number;
  parsed: NameAddrHeader;
}

/**
 * Contact = STAR / (contact_param (COMMA contact_param)*). Declined when it starts with `*`: STAR is tried first and
 * wins even on `*<sip:…>` (where `*` would otherwise be a display name), then the action fails and the answer is -1.
 */
function parseContact(s: string): ContactEntry[] | undefined {
  if (s.charCodeAt(0) === 42) return undefined;
  const out: ContactEntry[] = [];
  let p = 0;
  for (;;) {
    const a = addr(s, p);
    if (!a || !headerParams(s, at, a, contactParam)) return undefined;
    out.push({ position: at, offset: p, parsed: new NameAddrHeader(a.uri, a.displayName as string, a.params as Record<string, string>) });
    const comma = skipWs(s, at);
    if (s.charCodeAt(comma) !== COMMA) break;
    p = skipWs(s, comma + 1);
  }
  return at === s.length ? out : undefined;
}

// ── Via ──────────────────────────────────────────────────────────────────────────────────────────────────────────

/** `SWS "/" SWS` at `p`: the position after it, or -1. */
function slash(s: string, p: number): number {
  const q = skipWs(s, p);
  return s.charCodeAt(q) === 47 ? skipWs(s, q + 1) : -1;
}

/** via_parm into `data` (all via_parms of a value write into the same object, as in the grammar); end in `at`. */
function viaParm(s: string, p: number, data: Record<string, unknown>): boolean {
  // protocol_name = "SIP"i / token — a longer name starting with SIP fails at SLASH; other names declined
  const nameEnd = scan(s, p, TOKEN);
  if (nameEnd - p !== 3 || s.slice(p, nameEnd).toLowerCase() !== 'sip') return false;
  data.protocol = s.slice(p, nameEnd);
  const version = slash(s, nameEnd);
  if (version < 0) return false;
  const versionEnd = scan(s, version, TOKEN);
  if (versionEnd === version) return false;
  const transport = slash(s, versionEnd);
  if (transport < 0) return false;
  const transportEnd = scan(s, transport, TOKEN);
  if (transportEnd === transport) return false;
  const t = s.slice(transport, transportEnd).toLowerCase();
  if (t !== 'udp' && t !== 'tcp' && t !== 'tls' && t !== 'sctp' && (t.startsWith('udp') || t.startsWith('tcp') || t.startsWith('tls') || t.startsWith('sctp'))) {
    return false;
  }
  data.transport = s.slice(transport, transportEnd); // as written
  const host = skipWs(s, transportEnd); // LWS: at least one space or tab
  if (host === transportEnd) return false;
  const hostEnd = scan(s, host, HOST);
  const type = hostType(s, host, hostEnd);
  if (!type) return false;
  data.host_type = type; // hostname's / IPv4address's action runs before viaHost's
  data.host = s.slice(host, hostEnd);
  p = hostEnd;
  const colon = skipWs(s, p);
  if (s.charCodeAt(colon) === COLON) {
    const digits = skipWs(s, colon + 1);
    const digitsEnd = scan(s, digits, DIGIT);
    if (digitsEnd === digits || digitsEnd - digits > 5) return false;
    data.port = parseInt(s.slice(digits, digitsEnd));
    p = digitsEnd;
  }
  // ( SEMI via_params )*: via_ttl / via_maddr / via_received / via_branch / response_port / via_extension
  for (;;) {
    const semi = skipWs(s, p);
    if (s.charCodeAt(semi) !== SEMI) break;
    const n = skipWs(s, semi + 1);
    const end = scan(s, n, TOKEN);
    if (end === n) return false;
    const name = s.slice(n, end).toLowerCase();
    const v = name === 'ttl' || name === 'maddr' || name === 'received' || name === 'branch' || name === 'rport' ? afterEqual(s, end) : -1;
    if (v < 0) {
      if (!genericParam(s, name, end, data as { params: Record<string, unknown> | undefined })) return false;
      p = at;
      continue;
    }
    if (name === 'ttl') {
      const digitsEnd = scan(s, v, DIGIT); // ttl = DIGIT DIGIT? DIGIT?
      if (digitsEnd === v || digitsEnd - v > 3) return false;
      data.ttl = parseInt(s.slice(v, digitsEnd));
      p = digitsEnd;
    } else if (name === 'maddr' || name === 'received') {
      const valueEnd = scan(s, v, HOST);
      const valueType = hostType(s, v, valueEnd);
      if (!valueType || (name === 'received' && valueType !== 'IPv4')) return false;
      // maddr goes through `host`, whose action overwrites data.host; received's IPv4address sets host_type
      data.host_type = valueType;
      const value = s.slice(v, valueEnd);
      if (name === 'maddr') data.host = value;
      data[name] = value;
      p = valueEnd;
    } else if (name === 'branch') {
      const tokenEnd = scan(s, v, TOKEN);
      if (tokenEnd === v) return false;
      data.branch = s.slice(v, tokenEnd);
      p = tokenEnd;
    } else {
      const digitsEnd = scan(s, v, DIGIT); // rport = DIGIT*, kept as a string ("" for `rport=`)
      data.rport = s.slice(v, digitsEnd);
      p = digitsEnd;
    }
  }
  at = p;
  return true;
}

/** Via = via_parm (COMMA via_parm)*: one plain object. */
function parseVia(s: string): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  let p = 0;
  for (;;) {
    if (!viaParm(s, p, data)) return undefined;
    const comma = skipWs(s, at);
    if (s.charCodeAt(comma) !== COMMA) break;
    p = skipWs(s, comma + 1);
  }
  return at === s.length ? data : undefined;
}

// ── WWW-Authenticate, Proxy-Authenticate ─────────────────────────────────────────────────────────────────────────

/** challenge = "Digest"i LWS digest_cln (COMMA digest_cln)*: a plain object of realm, nonce, opaque, stale, algorithm, qop. */
function parseChallenge(s: string): Record<string, unknown> | undefined {
  if (s.slice(0, 6).toLowerCase() !== 'digest') return undefined;
  let p = skipWs(s, 6);
  if (p === 6) return undefined; // "Digestx …" is other_challenge
  const data: Record<string, unknown> = {};
  for (;;) {
    const nameEnd = scan(s, p, TOKEN);
    if (nameEnd === p) return undefined;
    const name = s.slice(p, nameEnd).toLowerCase();
    const v = afterEqual(s, nameEnd);
    if (v < 0) return undefined;
    const c = s.charCodeAt(v);
    if (name === 'realm' || name === 'nonce' || name === 'opaque') {
      // quoted_string_clean: the text between the quotes; unquoted would be an auth_param that sets nothing: declined
      if (c !== QUOTE) return undefined;
      const end = quotedEnd(s, v);
      if (end < 0) return undefined;
      data[name] = s.slice(v + 1, end - 1);
      p = end;
    } else if (name === 'stale' || name === 'algorithm') {
      const end = scan(s, v, TOKEN);
      const value = s.slice(v, end).toLowerCase();
      if (name === 'stale') {
        if (value !== 'true' && value !== 'false') return undefined;
        data.stale = value === 'true';
      } else {
        // "MD5"i / "MD5-sess"i / token: "MD5"i also matches the start of MD5-sess, which then fails
        if (end === v || (value.startsWith('md5') && value !== 'md5')) return undefined;
        data.algorithm = s.slice(v, end).toUpperCase();
      }
      p = end;
    } else if (name === 'qop') {
      // LDQUOT qop_value ("," qop_value)* RDQUOT; a qop_value pushed before a later failure would stay: declined
      if (c !== QUOTE) return undefined;
      let q = v + 1;
      for (;;) {
        const end = scan(s, q, TOKEN);
        if (end === q) return undefined;
        const value = s.slice(q, end).toLowerCase();
        if (value.startsWith('auth') && value !== 'auth' && value !== 'auth-int') return undefined;
        ((data.qop ??= []) as string[]).push(value);
        q = end;
        if (s.charCodeAt(q) !== COMMA) break;
        q++;
      }
      if (s.charCodeAt(q) !== QUOTE) return undefined;
      p = skipWs(s, q + 1); // RDQUOT = DQUOTE SWS
    } else if (name === 'domain') {
      return undefined;
    } else {
      // auth_param = auth_param_name EQUAL (token / quoted_string): read, nothing kept
      const end = c === QUOTE ? quotedEnd(s, v) : scan(s, v, TOKEN);
      if (end <= v) return undefined;
      p = end;
    }
    const comma = skipWs(s, p);
    if (s.charCodeAt(comma) !== COMMA) break;
    p = skipWs(s, comma + 1);
  }
  return p === s.length ? data : undefined;
}

// ── Entry ────────────────────────────────────────────────────────────────────────────────────────────────────────

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/**
 * RFC 3261 §25.1 `callid = word [ "@" word ]`, word = 1*(alphanum / - . ! % * _ + ` ' ~ ( ) < > : \ DQUOTE / [ ] ? { }):
 * the grammar answers the value itself. A Call-ID is new in every call, so remembered parses never hit it.
 */
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(?:@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;

/** Start rules with a fast path here. */
export const FAST_HEADER_RULES: ReadonlySet<string> = new Set([
  'Via',
  'From',
  'To',
  'Contact',
  'WWW_Authenticate',
  'Proxy_Authenticate',
  'SIP_URI',
  'uuid',
  'Call_ID',
]);

/**
 * `Grammar.parse(input, startRule)` of sip.js 0.21.2 for the common shapes of its most parsed rules, or `undefined`
 * when this is not one of them (then the grammar parses it). Never throws, never answers -1.
 */
export function fastHeaderParse(input: string, startRule: string): unknown {
  // Leading white space and anything on more than one line are left to the grammar everywhere.
  const first = input.charCodeAt(0);
  if (first === 32 || first === 9) return undefined;
  try {
    switch (startRule) {
      case 'Via':
        return parseVia(input);
      case 'From':
      case 'To':
        return parseFromTo(input);
      case 'Contact':
        return parseContact(input);
      case 'WWW_Authenticate':
      case 'Proxy_Authenticate':
        return parseChallenge(input);
      case 'SIP_URI': {
        const uri = sipUri(input, 0, true);
        return uri && at === input.length ? uri : undefined;
      }
      case 'uuid':
        return UUID.test(input) ? input : undefined;
      case 'Call_ID':
        return CALL_ID.test(input) ? input : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined; // a constructor refusing something: the grammar knows what to answer
  }
}
