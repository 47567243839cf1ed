/**
 * LDAP search filters (RFC 4511 §4.5.1): decoded from BER into a tree and evaluated against an entry. Attribute names
 * are case-insensitive; values compare as caseIgnoreMatch does (case and runs of spaces ignored), telephone numbers as
 * telephoneNumberMatch does (spaces and hyphens ignored too). An extensible match is not supported and matches nothing
 * (RFC 4511's Undefined, which a search treats as false).
 */
import { BerError, type BerElement, childrenOf, expectTag, readString, TAG } from './ber.ts';

export type LdapFilter =
  | { kind: 'and' | 'or'; filters: LdapFilter[] }
  | { kind: 'not'; filter: LdapFilter }
  | { kind: 'equal' | 'greater-or-equal' | 'less-or-equal' | 'approx'; attribute: string; value: string }
  | { kind: 'substrings'; attribute: string; initial: string | null; any: string[]; final: string | null }
  | { kind: 'present'; attribute: string }
  | { kind: 'unsupported' };

/** An entry as the server holds it: its DN and its attributes (names as stored, values as text). */
export interface LdapEntry {
  dn: string;
  attributes: Readonly<Record<string, readonly string[]>>;
}

const PHONE_ATTRIBUTES = new Set(['telephonenumber', 'mobile', 'homephone', 'ipphone', 'pager', 'facsimiletelephonenumber', 'othertelephone']);

function assertion(element: BerElement): { attribute: string; value: string } {
  const [attribute, value] = childrenOf(element);
  return {
    attribute: readString(expectTag(attribute, TAG.octetString, 'attribute description')),
    value: readString(expectTag(value, TAG.octetString, 'assertion value')),
  };
}

/** The filter encoded in `element` (the SearchRequest's `filter`). */
export function decodeFilter(element: BerElement): LdapFilter {
  switch (element.tag) {
    case 0xa0:
    case 0xa1:
      return { kind: element.tag === 0xa0 ? 'and' : 'or', filters: childrenOf(element).map(decodeFilter) };
    case 0xa2: {
      const [inner] = childrenOf(element);
      if (!inner) throw new BerError('not-filter without a filter');
      return { kind: 'not', filter: decodeFilter(inner) };
    }
    case 0xa3:
      return { kind: 'equal', ...assertion(element) };
    case 0xa5:
      return { kind: 'greater-or-equal', ...assertion(element) };
    case 0xa6:
      return { kind: 'less-or-equal', ...assertion(element) };
    case 0xa8:
      return { kind: 'approx', ...assertion(element) };
    case 0x87:
      return { kind: 'present', attribute: readString(element) };
    case 0xa4: {
      const [type, parts] = childrenOf(element);
      const filter: Extract<LdapFilter, { kind: 'substrings' }> = {
        kind: 'substrings',
        attribute: readString(expectTag(type, TAG.octetString, 'attribute description')),
        initial: null,
        any: [],
        final: null,
      };
      for (const part of childrenOf(expectTag(parts, TAG.sequence, 'substrings'))) {
        if (part.tag === 0x80) filter.initial = readString(part);
        else if (part.tag === 0x81) filter.any.push(readString(part));
        else if (part.tag === 0x82) filter.final = readString(part);
        else throw new BerError(`unknown substring choice 0x${part.tag.toString(16)}`);
      }
      return filter;
    }
    case 0xa9:
      return { kind: 'unsupported' };
    default:
      throw new BerError(`unknown filter choice 0x${element.tag.toString(16)}`);
  }
}

function normalise(attribute: string, value: string): string {
  const v = value.trim().replace(/\s+/g, ' ').toLowerCase();
  return PHONE_ATTRIBUTES.has(attribute.toLowerCase()) ? v.replace(/[\s-]/g, '') : v;
}

/** The values of `attribute` in `entry` (the name compared case-insensitively). */
export function valuesOf(entry: LdapEntry, attribute: string): readonly string[] {
  const wanted = attribute.toLowerCase();
  for (const [name, values] of Object.entries(entry.attributes)) if (name.toLowerCase() === wanted) return values;
  return [];
}

function substringMatch(value: string, f: Extract<LdapFilter, { kind: 'substrings' }>): boolean {
  const n = (s: string) => normalise(f.attribute, s);
  let rest = n(value);
  if (f.initial !== null) {
    const initial = n(f.initial);
    if (!rest.startsWith(initial)) return false;
    rest = rest.slice(initial.length);
  }
  for (const piece of f.any) {
    const at = rest.indexOf(n(piece));
    if (at < 0) return false;
    rest = rest.slice(at + n(piece).length);
  }
  return f.final === null || rest.endsWith(n(f.final));
}

/** True when `entry` matches `filter`. */
export function matches(entry: LdapEntry, filter: LdapFilter): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => matches(entry, f));
    case 'or':
      return filter.filters.some((f) => matches(entry, f));
    case 'not':
      return filter.filter.kind !== 'unsupported' && !matches(entry, filter.filter);
    case 'present':
      return valuesOf(entry, filter.attribute).length > 0;
    case 'equal':
    case 'approx':
      return valuesOf(entry, filter.attribute).some((v) => normalise(filter.attribute, v) === normalise(filter.attribute, filter.value));
    case 'greater-or-equal':
      return valuesOf(entry, filter.attribute).some((v) => normalise(filter.attribute, v) >= normalise(filter.attribute, filter.value));
    case 'less-or-equal':
      return valuesOf(entry, filter.attribute).some((v) => normalise(filter.attribute, v) <= normalise(filter.attribute, filter.value));
    case 'substrings':
      return valuesOf(entry, filter.attribute).some((v) => substringMatch(v, filter));
    case 'unsupported':
      return false;
  }
}
