/**
 * Menu → Contacts: a handset user searches the base's central directory as they type (letters by multi-tap) and calls
 * the entry they pick with the green key. The lookup goes over the air to the base, which searches its Local entries
 * or the lab's LDAP directory (a real LDAP server on loopback).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../../src/devices/handset/handset.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { openMenuPath, registerHandset, screen, waitForBootedLab } from './steps.ts';

const PAUSE = 1_000;

const LAB_LDAP = {
  directoryType: 'LDAP',
  ldapServer: 'ldap.lab.test',
  ldapPort: '389',
  ldapBaseDn: 'ou=People,dc=lab,dc=test',
  ldapBindDn: 'cn=rove,ou=Services,dc=lab,dc=test',
  ldapPassword: 'Directory-2026',
} as const;

describe('Contacts on the handset', () => {
  let lab: Lab;
  let base: BaseStation;
  let handset: Handset;
  afterEach(async () => lab?.close());

  async function inService(): Promise<void> {
    lab = await openTestLab();
    base = lab.getBase('0004F2A00001')!;
    [handset] = [...lab.handsets.values()] as [Handset];
    await waitForBootedLab(lab, base, handset);
    // The lab's SIP server with an extension for this handset, so that a call from the directory goes somewhere.
    base.send({
      type: 'SET_SIP_CONFIG',
      sip: {
        servers: [{ id: 1, address: 'sip.lab.test', port: 5060, transport: 'UDP', registrationExpiry: 3600, outboundProxy: '' }],
        extensions: [{ extension: '1001', authUser: '1001', password: 'lab-1001', displayName: 'Handset 1', serverId: 1, handset: handset.ipei }],
      },
    });
    await registerHandset(lab, base, handset, 1);
  }

  /** Waits for the base's answer (real LDAP I/O included) after the typing pause. */
  async function answered(): Promise<string[]> {
    await lab.clock.advance(PAUSE);
    await lab.clock.advanceUntil(() => !screen(handset).includes('Searching...'), MINUTE);
    await lab.settle();
    return screen(handset);
  }

  it('searches the Local entries as the user types and calls the highlighted one with green', async () => {
    await inService();
    base.send({
      type: 'SET_LOCAL_DIRECTORY',
      entries: [
        { name: 'Adele Vance', work: '9998', mobile: '', home: '' },
        { name: 'Alex Wilber', work: '9999', mobile: '', home: '' },
        { name: 'Bob Baker', work: '1234', mobile: '', home: '' },
      ],
    });
    await lab.clock.advanceUntil(() => handset.view().line?.state === 'OK', MINUTE);

    openMenuPath(handset, 'Contacts');
    expect(handset.view().screen).toBe('directory');
    expect(await answered()).toEqual(expect.arrayContaining(['Contacts', 'Find:', '> Adele Vance', 'Alex Wilber', 'Bob Baker']));

    handset.press('2');
    expect(screen(handset)).toContain('Find: a_');
    expect(screen(handset)).toContain('Searching...');
    let shown = await answered();
    expect(shown).toContain('Find: a');
    expect(shown).toEqual(expect.arrayContaining(['> Adele Vance', 'Alex Wilber']));
    expect(shown).not.toContain('Bob Baker');

    // 5 5 5 within the pause: j → k → l.
    handset.press('555');
    expect(screen(handset)).toContain('Find: al_');
    shown = await answered();
    expect(shown).toContain('> Alex Wilber');
    expect(shown).not.toContain('Adele Vance');

    handset.press('{green}');
    expect(handset.view().screen).toBe('call');
    await lab.clock.advanceUntil(() => handset.view().call?.state === 'connected', MINUTE);
    expect(handset.view().call).toMatchObject({ state: 'connected' });
    handset.press('{red}');
  });

  it('Clear takes letters back; nothing found says so; OK opens an entry to pick one of its numbers', async () => {
    await inService();
    base.send({ type: 'SET_LOCAL_DIRECTORY', entries: [{ name: 'Megan Bowen', work: '2001', mobile: '+14255550107', home: '' }] });
    openMenuPath(handset, 'Contacts');
    await answered();
    handset.press('9');
    expect(await answered()).toContain('No entries found');
    handset.press('{soft2}');
    expect(screen(handset)).toContain('Find:');
    handset.press('6');
    expect(await answered()).toContain('> Megan Bowen');

    handset.press('{ok}');
    expect(screen(handset)).toEqual(expect.arrayContaining(['Megan Bowen', '> Work: 2001', 'M: +14255550107']));
    handset.press('{down}');
    expect(screen(handset)).toContain('> M: +14255550107');
    handset.press('{soft2}');
    expect(screen(handset)).toContain('> Megan Bowen');
    handset.press('{soft2}{soft2}');
    expect(handset.view().screen).toBe('menu');
  });

  it('looks people up in the lab LDAP directory; a wrong password and an unreachable server each say so', async () => {
    await inService();
    expect(base.updateSettings(LAB_LDAP).ok).toBe(true);
    openMenuPath(handset, 'Contacts');
    await answered();
    // m (6), then e (3 3) → "me": Megan Bowen among the tenant's people.
    handset.press('6');
    await lab.clock.advance(PAUSE);
    handset.press('33');
    const found = await answered();
    expect(found).toContain('Find: me');
    expect(found).toContain('> Megan Bowen');
    handset.press('{ok}');
    expect(screen(handset)).toContain('> Work: +14255550107');
    handset.press('{red}');

    expect(base.updateSettings({ ldapPassword: 'wrong' }).ok).toBe(true);
    openMenuPath(handset, 'Contacts');
    expect(await answered()).toContain('Server login failed');
    handset.press('{red}');

    expect(base.updateSettings({ ldapServer: '127.0.0.1', ldapPort: '1' }).ok).toBe(true);
    openMenuPath(handset, 'Contacts');
    expect(await answered()).toContain('Server not reachable');
    expect(base.lastDirectoryLookup).toMatchObject({ from: handset.ipei, answer: { ok: false, problem: 'unreachable' } });
  });

  it('without its base the handset cannot search: No service', async () => {
    await inService();
    openMenuPath(handset, 'Contacts');
    await answered();
    handset.setOutOfRange(true);
    handset.press('2');
    expect(await answered()).toContain('No service');
  });
});
