/**
 * HTTP Digest authentication for SIP (RFC 3261 §22, RFC 2617), MD5 with `qop=auth`, the scheme every SIP phone and
 * sip.js speaks.
 *
 * Nonces are stateless: `<issued-at hex>.<keyed SHA-256 of (secret, issued-at)>`, so the server keeps no table of them; a nonce
 * older than its lifetime is answered with a fresh challenge marked `stale=true` (the client retries without asking
 * its user again). Times come from the flow's clock.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { InsertionOrder } from '../../kernel/insertion-order.ts';
import { ownString } from '../../kernel/own-string.ts';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

export type DigestCheck =
  | { ok: true }
  | { ok: false; reason: 'stale' | 'bad-nonce' | 'wrong-password' | 'unsupported' | 'replayed' };

/** Nonces whose highest nonce-count is remembered (oldest forgotten first): a bound on what replay detection holds. */
const NONCE_COUNTS_KEPT = 20_000;

/** Node's one-shot `crypto.hash` (20.12 and later): no Hash object per digest, about three times as fast. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function md5(text: string): string {
  return oneShotHash ? oneShotHash('md5', text, 'hex') : createHash('md5').update(text, 'utf8').digest('hex');
}

/** How many nonce signatures {@link DigestAuthority} remembers (see `sign`). */
const SIGNATURES_KEPT = 64;
/** How many HA1 / HA2 values {@link DigestAuthority} remembers (see `check`). */
const HASHES_KEPT = 4096;

/** `md5(text)`, remembered in `memory` (at most {@link HASHES_KEPT}, then started afresh). */
function rememberedMd5(memory: Map<string, string>, text: string): string {
  let hash = memory.get(text);
  if (hash === undefined) {
    hash = md5(text);
    if (memory.size >= HASHES_KEPT) memory.clear();
    memory.set(text, hash);
  }
  return hash;
}

/** Parses `Digest k=v, k="v"`; undefined when the value is not a Digest credential. */
export function parseDigest(value: string): DigestCredentials | undefined {
  const fast = digestFast(value);
  if (fast !== null) return fast;
  const params = digestParams(value);
  if (params === undefined) return undefined;
  return credentialsOf(params.username, params.realm, params.nonce, params.uri, params.response, params.algorithm, params.qop, params.nc, params.cnonce, params.opaque);
}

function credentialsOf(
  username: string | undefined,
  realm: string | undefined,
  nonce: string | undefined,
  uri: string | undefined,
  response: string | undefined,
  algorithm: string | undefined,
  qop: string | undefined,
  nc: string | undefined,
  cnonce: string | undefined,
  opaque: string | undefined,
): DigestCredentials | undefined {
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) {
    return undefined;
  }
  return { username, realm, nonce, uri, response, algorithm, qop, nc, cnonce, opaque };
}

/** The parameters of a Digest credential by the regular expressions (any shape), or undefined: not Digest. */
export function digestParams(value: string): Record<string, string> | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(match[1]!); m; m = re.exec(match[1]!)) {
    const raw = m[2] ?? m[3] ?? '';
    params[m[1]!.toLowerCase()] = raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw;
  }
  return params;
}

/** Whitespace as `\s` reads it in the common cases (space, tab, CR, LF); anything else sends a value to the regex. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45 || code === 95;
}

/**
 * {@link parseDigest} read by hand for the shape every client writes (`Digest k="v", k=v, …`: names, `=`, quoted
 * values without backslashes or tokens, separated by commas): the same credentials, without two regular expressions
 * and a record of every parameter per REGISTER. `null` for anything else — a backslash, a character `\s` might
 * treat as space, a stray character between parameters —, which goes to the regex reading ({@link digestParams}).
 */
function digestFast(value: string): DigestCredentials | undefined | null {
  const n = value.length;
  let i = 0;
  while (i < n && isSpace(value.charCodeAt(i))) i++;
  if (n - i < 7 || value.substr(i, 6).toLowerCase() !== 'digest') return null;
  i += 6;
  if (!isSpace(value.charCodeAt(i))) return null;
  while (i < n && isSpace(value.charCodeAt(i))) i++;
  let username: string | undefined;
  let realm: string | undefined;
  let nonce: string | undefined;
  let uri: string | undefined;
  let response: string | undefined;
  let algorithm: string | undefined;
  let qop: string | undefined;
  let nc: string | undefined;
  let cnonce: string | undefined;
  let opaque: string | undefined;
  while (i < n) {
    const nameStart = i;
    let upper = false;
    for (; i < n; i++) {
      const code = value.charCodeAt(i);
      if (!isNameChar(code)) break;
      if (code >= 65 && code <= 90) upper = true;
    }
    if (i === nameStart) return null;
    const nameEnd = i;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (value.charCodeAt(i) !== 61) return null; // '='
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    let raw: string;
    if (value.charCodeAt(i) === 34) {
      const close = value.indexOf('"', i + 1);
      if (close === -1) return null;
      if (value.lastIndexOf('\\', close) > i) return null;
      raw = value.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      for (; i < n; i++) {
        const code = value.charCodeAt(i);
        if (code === 44 || isSpace(code)) break;
        // Another Unicode space (`\s`), or a backslash (unescaped in tokens too): the regex reading.
        if (code > 126 || code < 32 || code === 92) return null;
      }
      if (i === start) return null;
      raw = value.slice(start, i);
    }
    const name = value.slice(nameStart, nameEnd);
    switch (upper ? name.toLowerCase() : name) {
      case 'username':
        username = raw;
        break;
      case 'realm':
        realm = raw;
        break;
      case 'nonce':
        nonce = raw;
        break;
      case 'uri':
        uri = raw;
        break;
      case 'response':
        response = raw;
        break;
      case 'algorithm':
        algorithm = raw;
        break;
      case 'qop':
        qop = raw;
        break;
      case 'nc':
        nc = raw;
        break;
      case 'cnonce':
        cnonce = raw;
        break;
      case 'opaque':
        opaque = raw;
        break;
    }
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i === n) break;
    if (value.charCodeAt(i) !== 44) return null; // ','
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i === n) return null; // a trailing comma: the regex reading decides
  }
  return credentialsOf(username, realm, nonce, uri, response, algorithm, qop, nc, cnonce, opaque);
}

export class DigestAuthority {
  private readonly secret = randomBytes(16);
  private readonly secretHex = this.secret.toString('hex');
  /** Signatures of recent issue times, oldest first: see {@link sign}. */
  private readonly signatures = new Map<string, string>();
  /** The highest `nc` accepted per nonce (RFC 2617 §3.2.2: a count seen again is a replay). */
  private readonly nonceCounts = new Map<string, number>();
  private readonly nonceCountOrder = new InsertionOrder<string>();
  /**
   * HA1 = MD5(user:realm:password) and HA2 = MD5(method:uri) are the same for every REGISTER of a phone (its user,
   * password and Request-URI do not change), so they are remembered: one MD5 per check instead of three. Keyed by
   * their whole input, so a changed password is a new key.
   */
  private readonly ha1s = new Map<string, string>();
  private readonly ha2s = new Map<string, string>();

  constructor(
    readonly realm: string,
    private readonly nonceLifetimeMs: number,
  ) {}

  /** A `WWW-Authenticate` / `Proxy-Authenticate` value. */
  challenge(now: number, stale = false): string {
    const nonce = this.makeNonce(now);
    return `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  check(credentials: DigestCredentials, method: string, password: string, now: number): DigestCheck {
    if (credentials.algorithm && credentials.algorithm.toUpperCase() !== 'MD5') return { ok: false, reason: 'unsupported' };
    if (credentials.qop && credentials.qop !== 'auth') return { ok: false, reason: 'unsupported' };
    const issued = this.nonceTime(credentials.nonce);
    if (issued === undefined) return { ok: false, reason: 'bad-nonce' };
    const ha1 = rememberedMd5(this.ha1s, `${credentials.username}:${credentials.realm}:${password}`);
    const ha2 = rememberedMd5(this.ha2s, `${method}:${credentials.uri}`);
    const expected = credentials.qop
      ? md5(`${ha1}:${credentials.nonce}:${credentials.nc ?? ''}:${credentials.cnonce ?? ''}:${credentials.qop}:${ha2}`)
      : md5(`${ha1}:${credentials.nonce}:${ha2}`);
    if (!sameText(expected, credentials.response.toLowerCase())) return { ok: false, reason: 'wrong-password' };
    // A right answer to an old nonce: ask again with stale=true rather than calling the password wrong.
    if (now - issued > this.nonceLifetimeMs || issued - now > this.nonceLifetimeMs) return { ok: false, reason: 'stale' };
    if (credentials.qop) {
      // The same nonce with a count not above the last accepted one: someone sends an answer again.
      const nc = /^[0-9a-f]{8}$/i.test(credentials.nc ?? '') ? Number.parseInt(credentials.nc!, 16) : NaN;
      // Per nonce, user and client nonce: on the lab clock several challenges of one millisecond share a nonce.
      const key = `${credentials.nonce}|${credentials.username}|${credentials.cnonce ?? ''}`;
      const last = this.nonceCounts.get(key);
      if (!Number.isFinite(nc) || (last !== undefined && nc <= last)) return { ok: false, reason: 'replayed' };
      if (last === undefined) {
        if (this.nonceCounts.size >= NONCE_COUNTS_KEPT) this.nonceCounts.delete(this.nonceCountOrder.takeOldest(this.nonceCounts)!);
        // Kept long after the request: a string of its own, not one made of pieces of the request's text.
        const kept = ownString(key);
        this.nonceCounts.set(kept, nc);
        this.nonceCountOrder.added(kept, this.nonceCounts);
      } else this.nonceCounts.set(key, nc);
    }
    return { ok: true };
  }

  private makeNonce(now: number): string {
    const issued = Math.max(0, Math.floor(now)).toString(16);
    return `${issued}.${this.sign(issued, true)}`;
  }

  private nonceTime(nonce: string): number | undefined {
    const dot = nonce.indexOf('.');
    if (dot <= 0 || nonce.indexOf('.', dot + 1) !== -1) return undefined;
    const issued = nonce.slice(0, dot);
    const signature = nonce.slice(dot + 1);
    if (!signature || !/^[0-9a-f]{1,16}$/.test(issued)) return undefined;
    if (!sameText(this.sign(issued), signature)) return undefined;
    return Number.parseInt(issued, 16);
  }

  /**
   * The signature (keyed SHA-256) of an issue time. The signatures of the last few nonces issued are remembered: the answer to a challenge
   * (checked by signing its issue time again) usually comes within the same millisecond, and on the lab clock many
   * challenges share one lab millisecond. A signature is a pure function of the secret and the time, so remembering
   * it changes no nonce and accepts none that was not issued; times only seen in answers are not remembered.
   */
  private sign(issued: string, remember = false): string {
    const known = this.signatures.get(issued);
    if (known !== undefined) return known;
    // A keyed one-shot hash where Node has it: no Hmac object per signature (they showed as 2 % of a REGISTER's CPU).
    // The secret leads and the output is cut to 24 hex digits, so nothing can be appended to a seen nonce's input.
    const signature = oneShotHash
      ? oneShotHash('sha256', `${this.secretHex}:${this.realm}:${issued}`, 'hex').slice(0, 24)
      : createHmac('sha256', this.secret).update(`${this.realm}:${issued}`).digest('hex').slice(0, 24);
    if (remember) {
      if (this.signatures.size >= SIGNATURES_KEPT) this.signatures.delete(this.signatures.keys().next().value!);
      this.signatures.set(issued, signature);
    }
    return signature;
  }
}

/**
 * Compares a secret-derived value in time that does not depend on where they differ (as `timingSafeEqual` does),
 * without two Buffers per comparison.
 */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
