/**
 * The base's central directory (web admin Central Directory, seed 000: "The DECT server offers an option for a central
 * directory and supports Local, LDAP and XSI Server"): what a handset's Contacts search gets back.
 *
 * - Local: entries kept in the base's flash, edited in the web admin or imported as CSV (directory-csv.ts).
 * - LDAP: a real LDAP search of the configured server (ldap-lookup.ts), through the emulated internet.
 * - XSI: the fields are kept, but no XSI server is emulated: every lookup says the server is not reachable.
 *
 * A handset asks its base over the air (dect-radio.ts); the base answers with entries or a problem, which the handset
 * shows in its own words (handset-text.ts). [inferred] The words, the matching rule and the limits: docs/fidelity.md.
 */
import type { Checked, FieldError } from '../../kernel/result.ts';
import type { BaseSettings } from './parameters.ts';

/** One number of an entry: what it is (Work, Mobile, Home, or the LDAP attribute) and the number. */
export interface DirectoryNumber {
  label: string;
  number: string;
}

/** A directory entry as a handset lists it. */
export interface DirectoryEntry {
  name: string;
  numbers: DirectoryNumber[];
}

/** Why a lookup gave no list. The handset shows each in its own words. */
export type DirectoryProblem = 'disabled' | 'not-configured' | 'bad-credentials' | 'unreachable' | 'server-error' | 'no-service';

export type DirectoryAnswer =
  | { ok: true; entries: DirectoryEntry[]; /** More entries matched than the base returns. */ more: boolean }
  | { ok: false; problem: DirectoryProblem; /** What the web admin shows a technician (the server's own words). */ detail: string };

/** A Local directory entry as the web admin edits it and the CSV carries it. */
export interface LocalDirectoryEntry {
  name: string;
  work: string;
  mobile: string;
  home: string;
}

export const LOCAL_FIELDS = ['name', 'work', 'mobile', 'home'] as const;
export type LocalDirectoryInput = Record<(typeof LOCAL_FIELDS)[number], string>;

export const LOCAL_LABELS: Readonly<Record<(typeof LOCAL_FIELDS)[number], string>> = { name: 'Name', work: 'Work', mobile: 'Mobile', home: 'Home' };

/** [inferred] Entries one base keeps in its Local directory. */
export const MAX_LOCAL_ENTRIES = 1000;

const NUMBER = /^\+?[0-9*#]{1,32}$/;

/** A number as typed: spaces, hyphens, dots and brackets are dropped (`+1 (425) 555-0101` → `+14255550101`). */
export function dialable(number: string): string {
  return number.trim().replace(/[\s\-.()/]/g, '');
}

/** Checks one Local entry as typed; `line` names it in the messages (a CSV row). */
export function checkLocalEntry(input: LocalDirectoryInput, where = ''): Checked<LocalDirectoryEntry> {
  const errors: FieldError[] = [];
  const at = where ? `${where}: ` : '';
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name === '' || name.length > 64 || /[\u0000-\u001f]/.test(name)) errors.push({ field: 'name', message: `${at}Name must be 1 to 64 characters` });
  const numbers: Record<'work' | 'mobile' | 'home', string> = { work: '', mobile: '', home: '' };
  for (const key of ['work', 'mobile', 'home'] as const) {
    const raw = input[key].trim();
    const n = dialable(raw);
    if (raw !== '' && !NUMBER.test(n)) errors.push({ field: key, message: `${at}${LOCAL_LABELS[key]} "${raw}" is not a phone number (digits, * and #, an optional leading +)` });
    else numbers[key] = n;
  }
  if (errors.length === 0 && !numbers.work && !numbers.mobile && !numbers.home) {
    errors.push({ field: 'work', message: `${at}give at least one number (Work, Mobile or Home)` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { name, ...numbers } };
}

/** What a Local entry looks like on a handset: its numbers in the order Work, Mobile, Home. */
export function asDirectoryEntry(entry: LocalDirectoryEntry): DirectoryEntry {
  const numbers = (['work', 'mobile', 'home'] as const).filter((k) => entry[k] !== '').map((k) => ({ label: LOCAL_LABELS[k], number: entry[k] }));
  return { name: entry.name, numbers };
}

/** Lower case, accents dropped: `Müller` is found by `mu`. */
export function folded(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/**
 * [inferred] A Local entry matches when its name, or any word of it, starts with what was typed (case and accents
 * ignored): `va` finds Adele Vance, as an LDAP `(|(cn=va*)(sn=va*))` would. Sorted by name, at most `maxHits`.
 */
export function searchLocal(entries: readonly LocalDirectoryEntry[], query: string, maxHits: number): DirectoryAnswer {
  const q = folded(query.trim());
  const found = entries
    .filter((e) => q === '' || folded(e.name).startsWith(q) || folded(e.name).split(/\s+/).some((word) => word.startsWith(q)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ok: true, entries: found.slice(0, maxHits).map(asDirectoryEntry), more: found.length > maxHits };
}

/** The LDAP settings a lookup needs. */
export type LdapSettings = Pick<
  BaseSettings,
  'ldapServer' | 'ldapPort' | 'ldapTls' | 'ldapBaseDn' | 'ldapBindDn' | 'ldapPassword' | 'ldapFilter' | 'ldapNameAttribute' | 'ldapNumberAttributes'
>;

/** The base's LDAP client (ldap-lookup.ts), provided by the lab: it does real I/O. */
export type LdapSearch = (settings: LdapSettings, query: string, options: { maxHits: number; from: string }) => Promise<DirectoryAnswer>;

/** What the flash holds of the directory (absent on a flash that predates it). */
export function localEntriesOf(flash: { localDirectory?: readonly LocalDirectoryEntry[] | null }): readonly LocalDirectoryEntry[] {
  return flash.localDirectory ?? [];
}

/** [inferred] No XSI server is emulated: the simulator says so instead of pretending. */
export const XSI_NOT_EMULATED = 'no XSI server is emulated in the lab';

/**
 * Looks `query` up in the directory the settings name. Local and XSI answer here; LDAP goes to `ldap` (real I/O).
 */
export async function lookUp(
  flash: { settings: BaseSettings; localDirectory?: readonly LocalDirectoryEntry[] | null },
  query: string,
  options: { maxHits: number; from: string; ldap: LdapSearch | undefined },
): Promise<DirectoryAnswer> {
  const { settings } = flash;
  switch (settings.directoryType) {
    case 'Disabled':
      return { ok: false, problem: 'disabled', detail: 'Directory type is Disabled (Central Directory)' };
    case 'Local':
      return searchLocal(localEntriesOf(flash), query, options.maxHits);
    case 'XSI':
      if (settings.xsiServer === '') return { ok: false, problem: 'not-configured', detail: 'XSI Server is empty (Central Directory › XSI)' };
      return { ok: false, problem: 'unreachable', detail: `XSI server ${settings.xsiServer} not reachable: ${XSI_NOT_EMULATED}` };
    case 'LDAP':
      if (settings.ldapServer === '') return { ok: false, problem: 'not-configured', detail: 'LDAP Server is empty (Central Directory › LDAP)' };
      if (!options.ldap) return { ok: false, problem: 'server-error', detail: 'this base has no LDAP client' };
      return options.ldap(settings, query, { maxHits: options.maxHits, from: options.from });
  }
}

/** What the Local directory pages need of a base (BaseStation satisfies it). */
export interface DirectoryEditable {
  readonly flash: { localDirectory?: readonly LocalDirectoryEntry[] | null };
  send(event: { type: 'SET_LOCAL_DIRECTORY'; entries: LocalDirectoryEntry[] }): void;
}

/** Adds an entry (or replaces the one at `index`); nothing is saved unless it is valid. */
export function saveLocalEntry(base: DirectoryEditable, input: LocalDirectoryInput, index?: number): Checked<LocalDirectoryEntry> {
  const entries = localEntriesOf(base.flash);
  if (index !== undefined && (index < 0 || index >= entries.length)) return { ok: false, errors: [{ field: 'entry', message: `There is no entry ${index + 1}` }] };
  if (index === undefined && entries.length >= MAX_LOCAL_ENTRIES) {
    return { ok: false, errors: [{ field: 'entry', message: `The Local directory is full (${MAX_LOCAL_ENTRIES} entries)` }] };
  }
  const checked = checkLocalEntry(input);
  if (!checked.ok) return checked;
  const next = index === undefined ? [...entries, checked.value] : entries.map((e, i) => (i === index ? checked.value : e));
  base.send({ type: 'SET_LOCAL_DIRECTORY', entries: next });
  return checked;
}

export function removeLocalEntry(base: DirectoryEditable, index: number): Checked<null> {
  const entries = localEntriesOf(base.flash);
  if (!Number.isInteger(index) || index < 0 || index >= entries.length) return { ok: false, errors: [{ field: 'entry', message: `There is no entry ${index + 1}` }] };
  base.send({ type: 'SET_LOCAL_DIRECTORY', entries: entries.filter((_, i) => i !== index) });
  return { ok: true, value: null };
}
