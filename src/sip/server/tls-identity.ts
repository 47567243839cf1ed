/**
 * The certificate the lab's SIP server shows on its TLS port: self-signed for `sip.lab.test` (and 127.0.0.1), made
 * once per lab file and kept in it, so a client that pinned or accepted it once keeps working across restarts.
 */
import { generate } from 'selfsigned';
import { SIP_DEFAULT_DOMAIN } from './sip-server.ts';

export interface TlsIdentity {
  cert: string;
  key: string;
}

/** A new self-signed identity (EC P-256, SHA-256, ten years: a lab's, not a production certificate). */
export async function makeTlsIdentity(now = new Date()): Promise<TlsIdentity> {
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3_600_000);
  const pems = await generate([{ name: 'commonName', value: SIP_DEFAULT_DOMAIN }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: notAfter,
    extensions: [
      { name: 'subjectAltName', altNames: [{ type: 2, value: SIP_DEFAULT_DOMAIN }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export function isTlsIdentity(value: unknown): value is TlsIdentity {
  return typeof value === 'object' && value !== null && typeof (value as TlsIdentity).cert === 'string' && typeof (value as TlsIdentity).key === 'string';
}
