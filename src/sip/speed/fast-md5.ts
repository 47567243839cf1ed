/**
 * sip.js's digest MD5 done by Node's crypto instead of sip.js's own JavaScript MD5.
 *
 * Why: every line answers the server's 401 with a digest (RFC 2617: three MD5s per REGISTER with `qop=auth`), which
 * sip.js computes with `Md5.hashStr` (lib/core/messages/md5.js), an MD5 written in JavaScript: ≈ 9 µs per hash, half
 * a percent of a full-scale rehearsal. Node's one-shot `crypto.hash` gives the same hex digest in about 1 µs.
 *
 * Same result: sip.js hashes the UTF-8 bytes of the string, as Node does for a string, except for a lone surrogate
 * (Node writes U+FFFD, sip.js writes its own bytes): any string with a surrogate, a `raw` digest, or a Node without
 * `crypto.hash` goes to sip.js's own code. test/sip/fast-md5.test.ts compares both.
 *
 * Installed by `installSipSpeedups()` (sip-speedups.ts), never as a side effect of an import.
 */
import * as crypto from 'node:crypto';
import { Md5 } from 'sip.js/lib/core/messages/md5.js';

type HashStr = (str: string, raw?: boolean) => string | Int32Array;

/** Node's one-shot `crypto.hash` (20.12 and later). */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const SURROGATE = /[\uD800-\uDFFF]/;

const md5Class = Md5 as unknown as { hashStr: HashStr };
/** sip.js's `Md5.hashStr` as shipped. */
export const shippedHashStr: HashStr = md5Class.hashStr;

/** `Md5.hashStr` as sip.js computes it, through Node's MD5 when the bytes are certainly the same. */
export function fastHashStr(this: unknown, str: string, raw = false): string | Int32Array {
  if (raw || !oneShotHash || typeof str !== 'string' || SURROGATE.test(str)) return shippedHashStr.call(Md5, str, raw);
  return oneShotHash('md5', str, 'hex');
}

export function installFastMd5(): void {
  if (oneShotHash) md5Class.hashStr = fastHashStr;
}

export function uninstallFastMd5(): void {
  md5Class.hashStr = shippedHashStr;
}

export function fastMd5Installed(): boolean {
  return md5Class.hashStr === fastHashStr;
}
