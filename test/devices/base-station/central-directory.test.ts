import { describe, expect, it } from 'vitest';
import { checkLocalEntry, lookUp, searchLocal } from '../../../src/devices/base-station/central-directory.ts';
import { exportDirectoryCsv, importDirectoryCsv } from '../../../src/devices/base-station/directory-csv.ts';
import { escapeFilterValue, filterFor } from '../../../src/devices/base-station/ldap-lookup.ts';
import { FACTORY_SETTINGS } from '../../../src/devices/base-station/parameters.ts';

const ENTRIES = [
  { name: 'Henrietta Müller', work: '+4969555010', mobile: '', home: '' },
  { name: 'Adele Vance', work: '1001', mobile: '', home: '' },
  { name: 'Alex Wilber', work: '', mobile: '1002', home: '' },
];

describe('the Local directory search', () => {
  it('finds names by the start of any word, ignoring case and accents, sorted, up to the limit', () => {
    expect(searchLocal(ENTRIES, 'mu', 50)).toMatchObject({ ok: true, entries: [{ name: 'Henrietta Müller' }], more: false });
    expect(searchLocal(ENTRIES, 'A', 50)).toMatchObject({ entries: [{ name: 'Adele Vance' }, { name: 'Alex Wilber' }] });
    expect(searchLocal(ENTRIES, '', 2)).toMatchObject({ entries: [{ name: 'Adele Vance' }, { name: 'Alex Wilber' }], more: true });
    expect(searchLocal(ENTRIES, 'lex', 50)).toMatchObject({ entries: [] });
  });

  it('lists an entry\'s numbers as Work, Mobile, Home', () => {
    expect(searchLocal(ENTRIES, 'alex', 50)).toMatchObject({ entries: [{ numbers: [{ label: 'Mobile', number: '1002' }] }] });
  });

  it('a Disabled directory, an empty LDAP server and XSI each answer with their problem', async () => {
    const flash = (o: Partial<typeof FACTORY_SETTINGS>) => ({ settings: { ...FACTORY_SETTINGS, ...o } });
    const options = { maxHits: 50, from: 'test', ldap: undefined };
    expect(await lookUp(flash({ directoryType: 'Disabled' }), 'a', options)).toMatchObject({ ok: false, problem: 'disabled' });
    expect(await lookUp(flash({ directoryType: 'LDAP' }), 'a', options)).toMatchObject({ ok: false, problem: 'not-configured' });
    expect(await lookUp(flash({ directoryType: 'XSI', xsiServer: 'https://xsp.example.com/' }), 'a', options)).toMatchObject({ ok: false, problem: 'unreachable' });
  });
});

describe('Local entries', () => {
  it('numbers are kept dialable; a name and one number are needed', () => {
    expect(checkLocalEntry({ name: '  Front   desk ', work: '+1 (425) 555-0100', mobile: '', home: '' })).toEqual({
      ok: true,
      value: { name: 'Front desk', work: '+14255550100', mobile: '', home: '' },
    });
    expect(checkLocalEntry({ name: 'Nobody', work: '', mobile: '', home: '' })).toMatchObject({ ok: false, errors: [{ message: 'give at least one number (Work, Mobile or Home)' }] });
  });
});

describe('the Local directory CSV', () => {
  it('an unknown column is refused rather than lost on the next export; Name and Work are needed', () => {
    expect(importDirectoryCsv('Name,Work,Fax\nA,1,2\n', [], 'add')).toEqual({ ok: false, problems: ['Line 1: unknown column "Fax" (the columns are Name, Work, Mobile, Home)'] });
    expect(importDirectoryCsv('Name\nA\n', [], 'add')).toMatchObject({ ok: false, problems: ['Line 1: the header must name at least the columns Name and Work'] });
    expect(importDirectoryCsv('', [], 'add')).toMatchObject({ ok: false });
  });

  it('adding skips entries already there; replacing starts over', () => {
    const existing = [{ name: 'Adele Vance', work: '1001', mobile: '', home: '' }];
    const csv = 'Work,Name\n1001,Adele Vance\n1002,Alex Wilber\n';
    expect(importDirectoryCsv(csv, existing, 'add')).toMatchObject({ ok: true, entries: [{ name: 'Adele Vance' }, { name: 'Alex Wilber' }] });
    expect(importDirectoryCsv('Name,Work\nKitchen,2001\n', existing, 'replace')).toMatchObject({ ok: true, entries: [{ name: 'Kitchen' }] });
  });

  it('quotes what needs quoting, so an export reads back the same', () => {
    const entries = [{ name: 'Doe, "JJ" Jane', work: '1', mobile: '', home: '' }];
    const text = exportDirectoryCsv(entries);
    expect(text).toBe('Name,Work,Mobile,Home\r\n"Doe, ""JJ"" Jane",1,,\r\n');
    expect(importDirectoryCsv(text, [], 'replace')).toEqual({ ok: true, entries });
  });
});

describe('the LDAP search filter', () => {
  it('puts the typed text where % is, escaping what RFC 4515 asks', () => {
    expect(filterFor('(|(cn=%*)(sn=%*))', 'ad')).toBe('(|(cn=ad*)(sn=ad*))');
    expect(escapeFilterValue('a*b(c)\\')).toBe('a\\2ab\\28c\\29\\5c');
    expect(filterFor('(cn=%*)', '')).toBe('(cn=*)');
  });
});
