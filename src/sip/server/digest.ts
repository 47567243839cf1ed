/**
 * HTTP Digest authentication for SIP (RFC 3261 §22, RFC 2617), MD5 with `qop=auth`, the scheme every SIP phone and
 * sip.js speaks.
 *
 * Nonces are stateless: `<issued-at hex>.<HMAC(secret, issued-at)>`, so the server keeps no table of them; a nonce
 * older than its lifetime is answered with a fresh challenge marked `stale=true` (the client retries without asking
 * its user again). Times come from the flow's clock.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** Parses `Digest k=v, k="v"`; undefined when the value is not a Digest credential. */
export function parseDigest(value: string): DigestCredentials | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(match[1]!); m; m = re.exec(match[1]!)) {
    const raw = m[2] ?? m[3] ?? '';
    params[m[1]!.toLowerCase()] = raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw;
  }
  const { username, realm, nonce, uri, response } = params;
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) {
    return undefined;
  }
  return {
    username,
    realm,
    nonce,
    uri,
    response,
    algorithm: params.algorithm,
    qop: params.qop,
    nc: params.nc,
    cnonce: params.cnonce,
    opaque: params.opaque,
  };
}

export class DigestAuthority {
  private readonly secret = randomBytes(16);
  /** Signatures of recent issue times, oldest first: see {@link sign}. */
  private readonly signatures = new Map<string, string>();
  /** The highest `nc` accepted per nonce (RFC 2617 §3.2.2: a count seen again is a replay). */
  private readonly nonceCounts = new Map<string, number>();

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
    const ha1 = md5(`${credentials.username}:${credentials.realm}:${password}`);
    const ha2 = md5(`${method}:${credentials.uri}`);
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
      if (last === undefined && this.nonceCounts.size >= NONCE_COUNTS_KEPT) this.nonceCounts.delete(this.nonceCounts.keys().next().value!);
      this.nonceCounts.set(key, nc);
    }
    return { ok: true };
  }

  private makeNonce(now: number): string {
    const issued = Math.max(0, Math.floor(now)).toString(16);
    return `${issued}.${this.sign(issued, true)}`;
  }

  private nonceTime(nonce: string): number | undefined {
    const [issued, signature] = nonce.split('.');
    if (!issued || !signature || !/^[0-9a-f]{1,16}$/.test(issued)) return undefined;
    if (!sameText(this.sign(issued), signature)) return undefined;
    return Number.parseInt(issued, 16);
  }

  /**
   * The HMAC of an issue time. The signatures of the last few nonces issued are remembered: the answer to a challenge
   * (checked by signing its issue time again) usually comes within the same millisecond, and on the lab clock many
   * challenges share one lab millisecond. A signature is a pure function of the secret and the time, so remembering
   * it changes no nonce and accepts none that was not issued; times only seen in answers are not remembered.
   */
  private sign(issued: string, remember = false): string {
    const known = this.signatures.get(issued);
    if (known !== undefined) return known;
    const signature = createHmac('sha256', this.secret).update(`${this.realm}:${issued}`).digest('hex').slice(0, 24);
    if (remember) {
      if (this.signatures.size >= SIGNATURES_KEPT) this.signatures.delete(this.signatures.keys().next().value!);
      this.signatures.set(issued, signature);
    }
    return signature;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
