/**
 * The lab's company directory: an LDAP server at `ldap.lab.test` (port 389, no TLS) holding Contoso's people — the
 * Teams tenant's users with their numbers (an on-premises directory synced to the tenant, as seed 000's reader had
 * with Active Directory) — and the lab's own extensions 1001–1004 and test numbers, so a handset can call what it finds.
 *
 * Like Active Directory it needs a bind before a search; the bind account is the one the web admin's hint names.
 */
import type { LdapEntry } from '../../network/ldap/ldap-filter.ts';
import type { LdapServerOptions } from '../../network/ldap/ldap-server.ts';
import { DEFAULT_TENANT } from '../teams/tenant/default-tenant.ts';

export const LAB_DIRECTORY_HOST = 'ldap.lab.test';
export const LAB_DIRECTORY_PORT = 389;
export const LAB_DIRECTORY_SUFFIX = 'dc=lab,dc=test';
export const LAB_DIRECTORY_BIND = { dn: 'cn=rove,ou=Services,dc=lab,dc=test', password: 'Directory-2026' } as const;

const PERSON = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'];

function person(name: string, numbers: { telephoneNumber?: string; mobile?: string; ipPhone?: string }, extra: Record<string, string[]> = {}): LdapEntry {
  const words = name.split(' ');
  const sn = words.length > 1 ? words.slice(1).join(' ') : name;
  const attributes: Record<string, string[]> = { objectClass: PERSON, cn: [name], displayName: [name], sn: [sn], ...extra };
  if (words.length > 1) attributes.givenName = [words[0]!];
  for (const [key, value] of Object.entries(numbers)) if (value) attributes[key] = [value];
  return { dn: `cn=${name},ou=People,${LAB_DIRECTORY_SUFFIX}`, attributes };
}

/** People with a number: the tenant's users (their Teams numbers; a mobile for a few), then the lab's extensions. */
export function labDirectoryEntries(): LdapEntry[] {
  const people = DEFAULT_TENANT.users
    .filter((u) => u.phoneNumber)
    .map((u, i) => person(u.displayName, { telephoneNumber: u.phoneNumber!, ...(i % 3 === 0 ? { mobile: `+1425556${String(1000 + i).slice(-4)}` } : {}) }, { mail: [u.upn] }));
  return [
    { dn: LAB_DIRECTORY_SUFFIX, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: ['lab'], o: ['Contoso lab'] } },
    { dn: `ou=People,${LAB_DIRECTORY_SUFFIX}`, attributes: { objectClass: ['top', 'organizationalUnit'], ou: ['People'] } },
    { dn: `ou=Services,${LAB_DIRECTORY_SUFFIX}`, attributes: { objectClass: ['top', 'organizationalUnit'], ou: ['Services'] } },
    ...people,
    ...['1001', '1002', '1003', '1004'].map((ext) => person(`Lab Handset ${ext}`, { telephoneNumber: ext, ipPhone: ext })),
    person('Echo Test', { telephoneNumber: '9999' }),
    person('Busy Test', { telephoneNumber: '9998' }),
  ];
}

export function labDirectoryOptions(): LdapServerOptions {
  return { suffix: LAB_DIRECTORY_SUFFIX, entries: labDirectoryEntries(), accounts: [LAB_DIRECTORY_BIND], anonymousSearch: false };
}
