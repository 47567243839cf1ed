/**
 * Directory → Central Directory and Local Directory: a technician points the base at the lab's LDAP directory (a real
 * LDAP server on loopback), tries a search as a handset would, gets each failure in the handset's words, and keeps a
 * Local directory by hand and by CSV.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN, fieldError, get, labels, openConfiguredWebAdmin, post, submitForm, visibleText, type WebAdminWorld } from './web-admin-client.ts';

const LAB_LDAP = {
  directoryType: 'LDAP',
  ldapServer: 'ldap.lab.test',
  ldapPort: '389',
  ldapTls: 'Off',
  ldapBaseDn: 'ou=People,dc=lab,dc=test',
  ldapBindDn: 'cn=rove,ou=Services,dc=lab,dc=test',
  ldapPassword: 'Directory-2026',
};

describe('Directory → Central Directory', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  async function saveDirectory(typed: Record<string, string>) {
    const res = await submitForm(world.app, 'central-directory', 'central-directory', typed, ADMIN_LOGIN);
    expect(res.statusCode, visibleText(res.body)).toBe(303);
  }

  const search = async (q: string) => visibleText((await get(world.app, `central-directory?q=${encodeURIComponent(q)}`, ADMIN_LOGIN)).body);

  it('shows Local, LDAP and XSI with the fields a Rove web admin has', async () => {
    world = await openConfiguredWebAdmin();
    const page = await get(world.app, 'central-directory', ADMIN_LOGIN);
    expect(page.statusCode).toBe(200);
    const shown = [...labels(page.body).values()];
    for (const label of ['Directory type', 'Server', 'Port', 'Use TLS', 'Base DN', 'Bind DN', 'Password', 'Search filter', 'Name attribute', 'Number attributes', 'XSI Server', 'User']) {
      expect(shown).toContain(label);
    }
    expect(page.body).toMatch(/<input type="password" id="ldapPassword"/);
    expect(visibleText(page.body)).toContain('ldap.lab.test');
  });

  it('searches the lab directory over LDAP as a handset would: names starting with what was typed, with their numbers', async () => {
    world = await openConfiguredWebAdmin();
    await saveDirectory(LAB_LDAP);
    expect(world.base.flash.settings.directoryType).toBe('LDAP');
    const text = await search('ad');
    expect(text).toContain('Adele Vance');
    expect(text).toContain('+14255550101');
    expect(text).not.toContain('Alex Wilber');
    expect(await search('wil')).toContain('Alex Wilber');
    expect(visibleText((await get(world.app, 'central-directory', ADMIN_LOGIN)).body)).toMatch(/from web admin, for "wil"/);
  });

  it('zero hits, a wrong password, an unreachable server and an unknown host each show what the handset shows', async () => {
    world = await openConfiguredWebAdmin();
    await saveDirectory(LAB_LDAP);
    expect(await search('zzz')).toContain('Handset shows No entries found');

    await saveDirectory({ ...LAB_LDAP, ldapPassword: 'wrong' });
    const login = await search('ad');
    expect(login).toContain('Handset shows Server login failed');
    expect(login).toContain('result 49');

    await saveDirectory({ ...LAB_LDAP, ldapServer: '127.0.0.1', ldapPort: '1' });
    const down = await search('ad');
    expect(down).toContain('Handset shows Server not reachable');
    expect(down).toContain('ECONNREFUSED');

    await saveDirectory({ ...LAB_LDAP, ldapServer: 'dc01.contoso.local' });
    expect(await search('ad')).toContain('could not resolve host dc01.contoso.local');

    await saveDirectory({ ...LAB_LDAP, ldapTls: 'On', ldapPort: '636' });
    expect(await search('ad')).toContain('TLS handshake with ldap.lab.test:636 failed');
  });

  it('XSI keeps its fields and says plainly that no XSI server is reachable', async () => {
    world = await openConfiguredWebAdmin();
    await saveDirectory({ directoryType: 'XSI', xsiServer: 'https://xsp.example.com/', xsiUser: 'user@example.com', xsiPassword: 'x' });
    const text = await search('ad');
    expect(text).toContain('Handset shows Server not reachable');
    expect(text).toContain('no XSI server is emulated in the lab');
  });

  it('refuses bad values field by field and saves nothing', async () => {
    world = await openConfiguredWebAdmin();
    const res = await submitForm(world.app, 'central-directory', 'central-directory', { ...LAB_LDAP, ldapPort: '70000', ldapFilter: '(cn=adele)', ldapBaseDn: 'People' }, ADMIN_LOGIN);
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'ldapPort')).toContain('from 1 to 65535');
    expect(fieldError(res.body, 'ldapFilter')).toContain('must contain %');
    expect(fieldError(res.body, 'ldapBaseDn')).toContain('must be a DN');
    expect(visibleText(res.body)).toContain('nothing was changed');
    expect(world.base.flash.settings.directoryType).toBe('Local');
  });
});

describe('Directory → Local Directory', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  const entry = { name: 'Reception', work: '+49 69 555-0100', mobile: '', home: '' };

  it('entries are added, edited and deleted; a handset search finds them by any word of the name', async () => {
    world = await openConfiguredWebAdmin();
    expect((await post(world.app, 'local-directory', entry, ADMIN_LOGIN)).statusCode).toBe(303);
    expect((await post(world.app, 'local-directory', { name: 'Hotel Bar', work: '', mobile: '0171 5550100', home: '' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect(world.base.flash.localDirectory).toEqual([
      { name: 'Reception', work: '+49695550100', mobile: '', home: '' },
      { name: 'Hotel Bar', work: '', mobile: '01715550100', home: '' },
    ]);
    expect(visibleText((await get(world.app, 'central-directory?q=ba', ADMIN_LOGIN)).body)).toContain('Hotel Bar Mobile 01715550100');

    const refused = await post(world.app, 'local-directory', { name: '', work: 'call me', mobile: '', home: '' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(visibleText(refused.body)).toContain('Name must be 1 to 64 characters');
    expect(visibleText(refused.body)).toContain('Work "call me" is not a phone number');

    const edit = await get(world.app, 'local-directory?edit=1', ADMIN_LOGIN);
    expect(visibleText(edit.body)).toContain('Edit entry 1');
    expect((await post(world.app, 'local-directory', { ...entry, name: 'Front desk', entry: '1' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect(world.base.flash.localDirectory?.[0]?.name).toBe('Front desk');

    expect((await post(world.app, 'local-directory/remove', { remove: '2' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect(world.base.flash.localDirectory?.map((e) => e.name)).toEqual(['Front desk']);
  });

  it('a CSV with bad rows is refused row by row and changes nothing; a good one imports, and exports back the same', async () => {
    world = await openConfiguredWebAdmin();
    await post(world.app, 'local-directory', entry, ADMIN_LOGIN);
    const bad = 'Name,Work,Mobile\r\nKitchen,2001,\r\n,2002,\r\nLaundry,two thousand,\r\n';
    const refused = await post(world.app, 'local-directory/import', { text: bad, mode: 'replace' }, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    const text = visibleText(refused.body);
    expect(text).toContain('CSV not imported: nothing was changed');
    expect(text).toContain('Line 3: Name must be 1 to 64 characters');
    expect(text).toContain('Line 4: Work "two thousand" is not a phone number');
    expect(refused.body).toContain('Laundry,two thousand,');
    expect(world.base.flash.localDirectory?.map((e) => e.name)).toEqual(['Reception']);

    const good = '\ufeffname,WORK,Mobile,Home\n"Doe, Jane",2001,+1 425 555 0100,\nKitchen,2002,,\n';
    const imported = await post(world.app, 'local-directory/import', { text: good, mode: 'add' }, ADMIN_LOGIN);
    expect(imported.statusCode).toBe(303);
    expect(world.base.flash.localDirectory?.map((e) => e.name)).toEqual(['Reception', 'Doe, Jane', 'Kitchen']);

    const exported = await get(world.app, 'local-directory.csv', ADMIN_LOGIN);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body).toBe('Name,Work,Mobile,Home\r\nReception,+49695550100,,\r\n"Doe, Jane",2001,+14255550100,\r\nKitchen,2002,,\r\n');
    // Exported, then imported in place of the entries: the same directory.
    const again = await post(world.app, 'local-directory/import', { text: exported.body, mode: 'replace' }, ADMIN_LOGIN);
    expect(again.statusCode).toBe(303);
    expect(world.base.flash.localDirectory).toHaveLength(3);
  });
});
