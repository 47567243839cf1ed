import net from 'node:net';
import { Client, InvalidCredentialsError, OperationsError, UnwillingToPerformError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { integer, readElement, readInteger } from '../../../src/network/ldap/ber.ts';
import type { LdapEntry } from '../../../src/network/ldap/ldap-filter.ts';
import { LdapServer } from '../../../src/network/ldap/ldap-server.ts';

const PERSON = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'];
const ENTRIES: LdapEntry[] = [
  { dn: 'dc=example,dc=test', attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: ['example'], o: ['Example'] } },
  { dn: 'ou=People,dc=example,dc=test', attributes: { objectClass: ['top', 'organizationalUnit'], ou: ['People'] } },
  {
    dn: 'cn=Adele Vance,ou=People,dc=example,dc=test',
    attributes: { objectClass: PERSON, cn: ['Adele Vance'], givenName: ['Adele'], sn: ['Vance'], telephoneNumber: ['+1 425-555-0101'], mobile: ['+1 425 555 0199'] },
  },
  {
    dn: 'cn=Alex Wilber,ou=People,dc=example,dc=test',
    attributes: { objectClass: PERSON, cn: ['Alex Wilber'], givenName: ['Alex'], sn: ['Wilber'], telephoneNumber: ['+14255550102'] },
  },
  {
    dn: 'cn=Diego Siciliani,ou=People,dc=example,dc=test',
    attributes: { objectClass: PERSON, cn: ['Diego Siciliani'], givenName: ['Diego'], sn: ['Siciliani'], telephoneNumber: ['+14255550103'] },
  },
];
const ACCOUNT = { dn: 'cn=reader,dc=example,dc=test', password: 'read-only-1' };

const adLike = new LdapServer({ suffix: 'dc=example,dc=test', entries: ENTRIES, accounts: [ACCOUNT], anonymousSearch: false });
const openLdapLike = new LdapServer({ suffix: 'dc=example,dc=test', entries: ENTRIES, accounts: [ACCOUNT], anonymousSearch: true, sizeLimit: 2 });
const clients: Client[] = [];

beforeAll(async () => {
  await adLike.listen();
  await openLdapLike.listen();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
  await adLike.close();
  await openLdapLike.close();
});

function clientOf(server: LdapServer): Client {
  const client = new Client({ url: `ldap://127.0.0.1:${server.port}`, timeout: 5_000, connectTimeout: 5_000 });
  clients.push(client);
  return client;
}

const names = (r: { searchEntries: Array<Record<string, unknown>> }) => r.searchEntries.map((e) => e.cn).sort();

describe('the embedded LDAP server, queried by a real LDAP client', () => {
  test('a client that binds with the right password finds people by the first letters of a name', async () => {
    const client = clientOf(adLike);
    await client.bind(ACCOUNT.dn, ACCOUNT.password);
    const found = await client.search('dc=example,dc=test', {
      scope: 'sub',
      filter: '(&(objectClass=person)(|(cn=a*)(sn=a*)))',
      attributes: ['cn', 'telephoneNumber', 'mobile'],
    });
    expect(names(found)).toEqual(['Adele Vance', 'Alex Wilber']);
    const adele = found.searchEntries.find((e) => e.cn === 'Adele Vance')!;
    expect(adele.telephoneNumber).toBe('+1 425-555-0101');
    expect(adele.mobile).toBe('+1 425 555 0199');
    expect(adele).not.toHaveProperty('sn');
  });

  test('a telephone number matches whatever its spaces and hyphens, and a name whatever its case', async () => {
    const client = clientOf(adLike);
    await client.bind(ACCOUNT.dn, ACCOUNT.password);
    expect(names(await client.search('dc=example,dc=test', { filter: '(telephoneNumber=+14255550101)' }))).toEqual(['Adele Vance']);
    expect(names(await client.search('dc=example,dc=test', { filter: '(cn=DIEGO*)' }))).toEqual(['Diego Siciliani']);
    expect(names(await client.search('dc=example,dc=test', { filter: '(&(sn=*i*)(!(cn=alex*)))' }))).toEqual(['Diego Siciliani']);
  });

  test('a wrong password is refused with invalidCredentials (49), as a directory server does', async () => {
    const client = clientOf(adLike);
    await expect(client.bind(ACCOUNT.dn, 'wrong')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(client.bind('cn=nobody,dc=example,dc=test', 'x')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  test('like Active Directory, a search before a bind is refused; a DN without a password is not a login', async () => {
    const client = clientOf(adLike);
    await expect(client.search('dc=example,dc=test', { filter: '(cn=*)' })).rejects.toBeInstanceOf(OperationsError);
    await expect(client.bind(ACCOUNT.dn, '')).rejects.toBeInstanceOf(UnwillingToPerformError);
  });

  test('like OpenLDAP by default, anyone may search; the server caps what one search returns', async () => {
    const client = clientOf(openLdapLike);
    const found = await client.search('dc=example,dc=test', { filter: '(objectClass=person)', sizeLimit: 10 });
    expect(found.searchEntries).toHaveLength(2);
  });

  test('scopes: base, one level, subtree; an unknown base is noSuchObject', async () => {
    const client = clientOf(openLdapLike);
    expect((await client.search('ou=People,dc=example,dc=test', { scope: 'base' })).searchEntries.map((e) => e.dn)).toEqual(['ou=People,dc=example,dc=test']);
    expect((await client.search('dc=example,dc=test', { scope: 'one' })).searchEntries.map((e) => e.dn)).toEqual(['ou=People,dc=example,dc=test']);
    await expect(client.search('ou=Nowhere,dc=example,dc=test', {})).rejects.toThrow(/no such object/);
  });

  test('the directory is read-only', async () => {
    const client = clientOf(adLike);
    await client.bind(ACCOUNT.dn, ACCOUNT.password);
    await expect(client.add('cn=New,ou=People,dc=example,dc=test', { cn: 'New', sn: 'New', objectClass: 'person' })).rejects.toBeInstanceOf(
      UnwillingToPerformError,
    );
  });

  test('a message that is not BER closes the connection', async () => {
    const socket = net.connect(adLike.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(Buffer.from([0x30, 0x80, 0x00, 0x00]));
    await closed;
  });
});

describe('BER integers', () => {
  test.each([0, 1, 127, 128, 255, 256, 65535, 2 ** 31 - 1, -1, -128, -129])('%i encodes and decodes back', (n) => {
    expect(readInteger(readElement(integer(n))!.element)).toBe(n);
  });
});
