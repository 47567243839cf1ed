/**
 * LDAP lookups against a real OpenLDAP slapd: the base's Central Directory pointed at it by IP address and port, as a
 * technician points it at the company's server. Bad credentials, an unreachable server and zero hits each give what the
 * handset shows; a handset's Contacts search reaches slapd through its base. And Debian's `ldapsearch` queries the
 * lab's own embedded directory server, which must speak LDAP as slapd does.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import { LAB_DIRECTORY_BIND } from '../../src/cloud/directory/lab-directory.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import { openMenuPath, registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { freePort } from './support/net.ts';
import { ldapsearch, type RunningSlapd, startSlapd } from './support/slapd.ts';

const SUFFIX = 'dc=example,dc=test';
const READER = { dn: `cn=reader,ou=Services,${SUFFIX}`, password: 'Reader-2026' };

const person = (cn: string, sn: string, givenName: string, phone: string, mobile?: string) => `dn: cn=${cn},ou=People,${SUFFIX}
objectClass: inetOrgPerson
cn: ${cn}
sn: ${sn}
givenName: ${givenName}
telephoneNumber: ${phone}
${mobile ? `mobile: ${mobile}\n` : ''}`;

const LDIF = `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=People,${SUFFIX}
objectClass: organizationalUnit
ou: People

dn: ou=Services,${SUFFIX}
objectClass: organizationalUnit
ou: Services

dn: ${READER.dn}
objectClass: person
cn: reader
sn: reader
userPassword: ${READER.password}

${person('Kim Akers', 'Akers', 'Kim', '+1 425 555 0150', '+1 425 555 0151')}
${person('Ben Andrews', 'Andrews', 'Ben', '+1 425 555 0152')}
${person('Karen Berg', 'Berg', 'Karen', '9999')}
dn: cn=No Number,ou=People,${SUFFIX}
objectClass: inetOrgPerson
cn: No Number
sn: Number
`;

let slapd: RunningSlapd;
let lab: Lab;

beforeAll(async () => {
  slapd = await startSlapd({ suffix: SUFFIX, ldif: LDIF });
  lab = await openTestLab();
  await lab.clock.advanceUntil(() => lab.getBase('0004F2A00001')!.state === 'running', 10 * MINUTE);
});

afterAll(async () => {
  await lab?.close();
  await slapd?.stop();
});

const base = () => lab.getBase('0004F2A00001')!;

function pointAtSlapd(overrides: Record<string, string> = {}) {
  const saved = base().updateSettings({
    directoryType: 'LDAP',
    ldapServer: '127.0.0.1',
    ldapPort: String(slapd.port),
    ldapTls: 'Off',
    ldapBaseDn: `ou=People,${SUFFIX}`,
    ldapBindDn: READER.dn,
    ldapPassword: READER.password,
    ldapFilter: '(&(objectClass=person)(|(cn=%*)(sn=%*)(givenName=%*)))',
    ldapNameAttribute: 'cn',
    ldapNumberAttributes: 'telephoneNumber,mobile,ipPhone',
    ...overrides,
  });
  expect(saved.ok).toBe(true);
}

describe('the base searches a real slapd', () => {
  test('names starting with what was typed (first or last name), with every number, sorted; entries without a number left out', async () => {
    pointAtSlapd();
    expect(await base().lookUpDirectory('k', 'test')).toEqual({
      ok: true,
      more: false,
      entries: [
        { name: 'Karen Berg', numbers: [{ label: 'Work', number: '9999' }] },
        { name: 'Kim Akers', numbers: [{ label: 'Work', number: '+14255550150' }, { label: 'Mobile', number: '+14255550151' }] },
      ],
    });
    const all = await base().lookUpDirectory('', 'test');
    expect(all.ok && all.entries.map((e) => e.name)).toEqual(['Ben Andrews', 'Karen Berg', 'Kim Akers']);
    const byLastName = await base().lookUpDirectory('and', 'test');
    expect(byLastName.ok && byLastName.entries.map((e) => e.name)).toEqual(['Ben Andrews']);
  });

  test('zero hits, and typed characters that mean something in a filter are searched for as text', async () => {
    pointAtSlapd();
    expect(await base().lookUpDirectory('zz', 'test')).toEqual({ ok: true, entries: [], more: false });
    expect(await base().lookUpDirectory('*)(cn=*', 'test')).toEqual({ ok: true, entries: [], more: false });
  });

  test('a wrong password is a failed login (slapd: invalidCredentials, 49)', async () => {
    pointAtSlapd({ ldapPassword: 'wrong' });
    const answer = await base().lookUpDirectory('k', 'test');
    expect(answer).toMatchObject({ ok: false, problem: 'bad-credentials' });
    expect(!answer.ok && answer.detail).toContain('result 49');
  });

  test('a server that does not answer on that port is not reachable', async () => {
    pointAtSlapd({ ldapPort: String(await freePort()) });
    const answer = await base().lookUpDirectory('k', 'test');
    expect(answer).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(!answer.ok && answer.detail).toContain('ECONNREFUSED');
  });

  test('more entries than the base lists: it says there are more', async () => {
    const limited = await openTestLab({ profileOverrides: { directoryMaxHits: 2 } });
    try {
      const b = limited.getBase('0004F2A00001')!;
      await limited.clock.advanceUntil(() => b.state === 'running', 10 * MINUTE);
      b.updateSettings({ directoryType: 'LDAP', ldapServer: '127.0.0.1', ldapPort: String(slapd.port), ldapBaseDn: SUFFIX, ldapBindDn: READER.dn, ldapPassword: READER.password });
      const answer = await b.lookUpDirectory('', 'test');
      expect(answer).toMatchObject({ ok: true, more: true });
      expect(answer.ok && answer.entries).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});

describe('a handset searches slapd through its base', () => {
  test('Contacts lists what slapd finds and the handset shows a failed login as such', async () => {
    pointAtSlapd();
    const [handset] = [...lab.handsets.values()] as [Handset];
    await waitForBootedLab(lab, base(), handset);
    await registerHandset(lab, base(), handset, 1);
    openMenuPath(handset, 'Contacts');
    handset.press('5'); // j
    await lab.clock.advance(1_000);
    handset.press('44'); // h
    await lab.clock.advance(1_000);
    handset.press('222'); // c → "jhc": nothing
    await lab.clock.advance(1_000);
    await lab.clock.advanceUntil(() => !screen(handset).includes('Searching...'), MINUTE);
    expect(screen(handset)).toContain('No entries found');

    handset.press('{soft2}{soft2}{soft2}55'); // k
    await lab.clock.advance(1_000);
    await lab.clock.advanceUntil(() => !screen(handset).includes('Searching...'), MINUTE);
    expect(screen(handset)).toEqual(expect.arrayContaining(['Find: k', '> Karen Berg', 'Kim Akers']));
    handset.press('{down}{ok}');
    expect(screen(handset)).toEqual(expect.arrayContaining(['Kim Akers', '> Work: +14255550150', 'M: +14255550151']));
    handset.press('{red}');

    pointAtSlapd({ ldapPassword: 'wrong' });
    openMenuPath(handset, 'Contacts');
    await lab.clock.advanceUntil(() => !screen(handset).includes('Searching...'), MINUTE);
    expect(screen(handset)).toContain('Server login failed');
  });
});

describe("Debian's ldapsearch queries the lab's embedded directory", () => {
  test('bound as the lab account it finds people; a wrong password is refused as slapd refuses it', async () => {
    const url = `ldap://127.0.0.1:${lab.directory.port}`;
    const found = await ldapsearch(['-H', url, '-D', LAB_DIRECTORY_BIND.dn, '-w', LAB_DIRECTORY_BIND.password, '-b', 'ou=People,dc=lab,dc=test', '(|(cn=adele*)(sn=wil*))', 'cn', 'telephoneNumber']);
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toContain('cn: Adele Vance');
    expect(found.stdout).toContain('telephoneNumber: +14255550101');
    expect(found.stdout).toContain('cn: Alex Wilber');
    const refused = await ldapsearch(['-H', url, '-D', LAB_DIRECTORY_BIND.dn, '-w', 'wrong', '-b', 'dc=lab,dc=test', '(cn=*)']);
    expect(refused.status).toBe(49);
    expect(refused.stderr).toContain('Invalid credentials (49)');
  });
});
