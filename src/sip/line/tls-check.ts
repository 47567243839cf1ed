/**
 * How a line checks the certificate of a SIP server over TLS or WSS, as the base's SIP → Servers entry says
 * ("Accept all certificates": no / yes). Checking means what a device with a built-in list of trusted root CAs does:
 * the chain must end at a trusted CA (Node's bundled Mozilla list, plus any given here) and the certificate must name
 * the host the line connects to. The default (check) and its reason are in docs/fidelity.md, "SIP".
 */
import { type ConnectionOptions, rootCertificates } from 'node:tls';
import { isIP } from 'node:net';

export interface TlsCertificateCheck {
  /** Accept any certificate (self-signed, expired, another host's): the connection is encrypted, not authenticated. */
  acceptAll: boolean;
  /** More trusted CA certificates (PEM), besides the built-in list: e.g. a lab's own self-signed certificate. */
  trusted?: readonly string[];
}

export const CHECK_CERTIFICATES: Readonly<TlsCertificateCheck> = Object.freeze({ acceptAll: false });

/** `node:tls` options for a connection to `host`. */
export function tlsOptionsFor(host: string, check: TlsCertificateCheck = CHECK_CERTIFICATES): ConnectionOptions {
  return {
    host,
    // SNI only carries names (RFC 6066 §3).
    ...(isIP(host) ? {} : { servername: host }),
    rejectUnauthorized: !check.acceptAll,
    ...(check.trusted?.length ? { ca: [...rootCertificates, ...check.trusted] } : {}),
  };
}

/** Node's codes for a certificate that did not pass, in the words the base's status page shows. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate, not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain, not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate from an unknown CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate from an unknown CA',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is for another host',
};

/** A readable reason for a failed TLS connection (the line shows it as "Cannot reach the SIP server: …"). */
export function describeTlsFailure(error: Error & { code?: string }, where: string): string {
  const problem = error.code ? CERTIFICATE_PROBLEMS[error.code] : undefined;
  if (problem) return `${where}: ${problem} (${error.message}); trust its CA, or set Accept all certificates`;
  return `${where}: ${error.message}`;
}
