/**
 * HTTP Digest authentication for SIP (RFC 3261 §22, RFC 2617), MD5 with `qop=auth`, the scheme every SIP phone and
 * sip.js speaks.
 *
 * Nonces are stateless: `<issued-at hex>.<HMAC(secret, issued-at)>`, so the server keeps no table of them; a nonce
 * older than its lifetime is answered with a fresh challenge marked `stale=true` (the client retries without asking
 * its user again). Times come from the flow's clock.
 */
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
  | { ok: false; reason: 'stale' | 'bad-nonce' | 'wrong-password' | 'unsupported' };

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Parses `Digest k=v, k="v"`; undefined when the value is not a Digest credential. */
export function parseDigest(value: string): DigestCredentials | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(match[1]!); m; m = re.exec(match[1]!)) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
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
    return { ok: true };
  }

  private makeNonce(now: number): string {
    const issued = Math.max(0, Math.floor(now)).toString(16);
    return `${issued}.${this.sign(issued)}`;
  }

  private nonceTime(nonce: string): number | undefined {
    const [issued, signature] = nonce.split('.');
    if (!issued || !signature || !/^[0-9a-f]{1,16}$/.test(issued)) return undefined;
    if (!sameText(this.sign(issued), signature)) return undefined;
    return Number.parseInt(issued, 16);
  }

  private sign(issued: string): string {
    return createHmac('sha256', this.secret).update(`${this.realm}:${issued}`).digest('hex').slice(0, 24);
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
