/**
 * The subset of ASN.1 BER that LDAPv3 uses (RFC 4511 §5.1): definite lengths only, single-byte tags (every LDAP tag
 * is below 31), integers, enumerations, booleans, octet strings, sequences and sets. Readers take a whole element and
 * fail with {@link BerError} on anything malformed, so a garbled message is refused instead of half read.
 */

export class BerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BerError';
  }
}

/** One tag-length-value element: the tag byte and the content octets. */
export interface BerElement {
  tag: number;
  value: Buffer;
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  enumerated: 0x0a,
  sequence: 0x30,
  set: 0x31,
} as const;

/**
 * The element starting at `offset`, and where it ends; undefined while the buffer does not hold all of it yet (a
 * stream reader waits for more bytes). Lengths beyond `maxLength` are refused: a peer cannot make us buffer without end.
 */
export function readElement(buffer: Buffer, offset = 0, maxLength = 1 << 20): { element: BerElement; end: number } | undefined {
  if (buffer.length < offset + 2) return undefined;
  const tag = buffer[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new BerError('multi-byte tags are not used by LDAP');
  let length = buffer[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0) throw new BerError('indefinite lengths are not allowed in LDAP');
    if (octets > 4) throw new BerError('length too large');
    if (buffer.length < start + octets) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buffer[start + i]!;
    start += octets;
  }
  if (length > maxLength) throw new BerError(`element of ${length} bytes is larger than ${maxLength}`);
  if (buffer.length < start + length) return undefined;
  return { element: { tag, value: buffer.subarray(start, start + length) }, end: start + length };
}

/** The elements inside a constructed element (a sequence, a set, a context tag). */
export function childrenOf(element: BerElement): BerElement[] {
  const out: BerElement[] = [];
  let offset = 0;
  while (offset < element.value.length) {
    const read = readElement(element.value, offset);
    if (!read) throw new BerError('truncated element');
    out.push(read.element);
    offset = read.end;
  }
  return out;
}

export function readInteger(element: BerElement): number {
  const v = element.value;
  if (v.length === 0 || v.length > 6) throw new BerError('integer of unsupported size');
  let n = 0;
  for (const byte of v) n = n * 256 + byte;
  // Two's complement: a set high bit makes it negative.
  return v[0]! & 0x80 ? n - 2 ** (8 * v.length) : n;
}

export function readBoolean(element: BerElement): boolean {
  if (element.value.length !== 1) throw new BerError('boolean must be one byte');
  return element.value[0] !== 0;
}

export function readString(element: BerElement): string {
  return element.value.toString('utf8');
}

/** Expects `element` to have `tag`, naming what it should be. */
export function expectTag(element: BerElement | undefined, tag: number, what: string): BerElement {
  if (!element) throw new BerError(`${what} is missing`);
  if (element.tag !== tag) throw new BerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${element.tag.toString(16)}`);
  return element;
}

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** An element with `tag` around `content` (constructed when given a list). */
export function tlv(tag: number, content: Buffer | readonly Buffer[]): Buffer {
  const value = Buffer.isBuffer(content) ? content : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthOctets(value.length), value]);
}

export function integer(n: number, tag: number = TAG.integer): Buffer {
  if (!Number.isSafeInteger(n)) throw new BerError(`${n} is not an integer`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(((v % 256) + 256) % 256);
    v = Math.floor(v / 256);
  } while (v !== 0 && v !== -1);
  // A leading byte whose high bit disagrees with the sign needs one more byte (two's complement).
  if (n >= 0 && bytes[0]! & 0x80) bytes.unshift(0);
  if (n < 0 && !(bytes[0]! & 0x80)) bytes.unshift(0xff);
  return tlv(tag, Buffer.from(bytes));
}

export function enumerated(n: number): Buffer {
  return integer(n, TAG.enumerated);
}

export function octetString(s: string | Buffer, tag: number = TAG.octetString): Buffer {
  return tlv(tag, Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
}

export function boolean(b: boolean, tag: number = TAG.boolean): Buffer {
  return tlv(tag, Buffer.from([b ? 0xff : 0x00]));
}

export function sequence(items: readonly Buffer[], tag: number = TAG.sequence): Buffer {
  return tlv(tag, items);
}
