/**
 * Distinguished names (RFC 4514) as far as a read-only server needs them: split into RDNs at unescaped commas,
 * compared case-insensitively with spaces around `=` and `,` ignored, and tested for "is under".
 */

/** The RDNs of `dn`, normalised, most specific first (`cn=adele vance`, `ou=people`, `dc=lab`, `dc=test`). */
export function rdnsOf(dn: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[++i];
      continue;
    }
    if (c === ',' || c === ';') {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '' || out.length > 0) out.push(current);
  return out.map((rdn) => {
    const eq = rdn.indexOf('=');
    const type = (eq < 0 ? rdn : rdn.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : rdn.slice(eq + 1).trim().replace(/\s+/g, ' ').toLowerCase();
    return `${type}=${value}`;
  });
}

export function normaliseDn(dn: string): string {
  return rdnsOf(dn).join(',');
}

/** True when `dn` is `base` or below it. */
export function isUnder(dn: string, base: string): boolean {
  const d = rdnsOf(dn);
  const b = rdnsOf(base);
  return b.length <= d.length && b.every((rdn, i) => d[d.length - b.length + i] === rdn);
}

/** How many RDNs `dn` has below `base` (0: the base itself); -1 when it is not under it. */
export function depthBelow(dn: string, base: string): number {
  return isUnder(dn, base) ? rdnsOf(dn).length - rdnsOf(base).length : -1;
}
