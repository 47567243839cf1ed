/**
 * The base's LDAP client: a real LDAPv3 search (ldapts) of the server the Central Directory names, reached through
 * the emulated internet (an emulated host such as the lab's `ldap.lab.test` goes to its loopback server; an IP address
 * or, with real DNS, any host the user points at is connected to directly).
 *
 * One lookup is: connect (LDAPS when `Use TLS` is On), simple bind with Bind DN / Password (none: anonymous), search
 * the Base DN subtree with the Search filter (`%` → the typed text, escaped as RFC 4515 asks), unbind. What went
 * wrong becomes one of the problems a handset shows (central-directory.ts); the server's own words go to the web admin.
 */
import { Client, ResultCodeError } from 'ldapts';
import type { Clock, VirtualClock } from '../../kernel/virtual-clock.ts';
import type { EmulatedInternet } from '../../network/emulated-internet.ts';
import { type DirectoryAnswer, type DirectoryEntry, type DirectoryProblem, dialable, type LdapSettings } from './central-directory.ts';

export interface LdapLookupDeps {
  internet: Pick<EmulatedInternet, 'resolveService' | 'logRequest'>;
  clock: Clock & Pick<VirtualClock, 'track'>;
  /** Real ms to connect, and for each operation (profile `directoryTimeoutMs`). */
  timeoutMs: number;
}

/** RFC 4515 §3: the characters a value in a filter must escape. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function filterFor(template: string, query: string): string {
  return template.replaceAll('%', escapeFilterValue(query));
}

/** LDAP result codes that mean "the server will not let this account read": the handset says the login failed. */
const LOGIN_CODES = new Set([
  1, // operationsError: Active Directory's "a successful bind must be completed" after an anonymous start
  8, // strongAuthRequired
  48, // inappropriateAuthentication
  49, // invalidCredentials
  50, // insufficientAccessRights
  53, // unwillingToPerform: a DN without a password (RFC 4513 §5.1.2)
]);

/** [inferred] What the handset calls a number from each attribute (the attribute's own name otherwise). */
const NUMBER_LABELS: Readonly<Record<string, string>> = {
  telephonenumber: 'Work',
  mobile: 'Mobile',
  homephone: 'Home',
  ipphone: 'IP phone',
  othertelephone: 'Other',
  pager: 'Pager',
};

function firstValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length ? firstValue(value[0]) : undefined;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'string' ? value : undefined;
}

function allValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allValues);
  const v = firstValue(value);
  return v === undefined ? [] : [v];
}

/** The entry's value of `attribute` (names are case-insensitive in LDAP; ldapts keeps the server's spelling). */
function attribute(entry: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : entry[key];
}

function failed(problem: DirectoryProblem, detail: string): DirectoryAnswer {
  return { ok: false, problem, detail };
}

export async function ldapLookup(deps: LdapLookupDeps, settings: LdapSettings, query: string, options: { maxHits: number; from: string }): Promise<DirectoryAnswer> {
  const secure = settings.ldapTls === 'On';
  const port = Number(settings.ldapPort);
  const filter = filterFor(settings.ldapFilter, query);
  const url = `${secure ? 'ldaps' : 'ldap'}://${settings.ldapServer}:${port}/${settings.ldapBaseDn}??sub?${filter}`;
  const answer = await deps.clock.track(search(deps, settings, secure, port, filter, options.maxHits));
  deps.internet.logRequest(url, answer.ok ? `${answer.entries.length}${answer.more ? '+' : ''} entries` : `${answer.problem}: ${answer.detail}`, options.from);
  return answer;
}

async function search(
  deps: LdapLookupDeps,
  settings: LdapSettings,
  secure: boolean,
  port: number,
  filter: string,
  maxHits: number,
): Promise<DirectoryAnswer> {
  const where = `${settings.ldapServer}:${port}`;
  const target = deps.internet.resolveService(settings.ldapServer, port);
  if (secure && target.emulated) {
    return failed('unreachable', `TLS handshake with ${where} failed (the lab's directory offers no TLS: set Use TLS Off and port 389)`);
  }
  if (!target.ok) return failed('unreachable', `LDAP server ${where} not reachable: ${target.message}`);
  const client = new Client({
    url: `${secure ? 'ldaps' : 'ldap'}://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`,
    timeout: deps.timeoutMs,
    connectTimeout: deps.timeoutMs,
    ...(secure ? { tlsOptions: { servername: settings.ldapServer, minVersion: 'TLSv1.2' as const } } : {}),
  });
  let stage: 'bind' | 'search' = 'bind';
  try {
    if (settings.ldapBindDn !== '') await client.bind(settings.ldapBindDn, settings.ldapPassword);
    stage = 'search';
    const nameAttribute = settings.ldapNameAttribute;
    const numberAttributes = settings.ldapNumberAttributes.split(',').map((a) => a.trim()).filter(Boolean);
    const { searchEntries } = await client.search(settings.ldapBaseDn, {
      scope: 'sub',
      filter,
      attributes: [nameAttribute, ...numberAttributes],
      // One more than shown: if it comes back, the handset says there are more (and the user types on).
      sizeLimit: maxHits + 1,
      timeLimit: Math.max(1, Math.ceil(deps.timeoutMs / 1000)),
    });
    const entries: DirectoryEntry[] = [];
    for (const raw of searchEntries as Array<Record<string, unknown>>) {
      const name = firstValue(attribute(raw, nameAttribute)) ?? String(raw.dn ?? '').split(',')[0]?.split('=')[1] ?? '';
      const numbers = numberAttributes.flatMap((a) => allValues(attribute(raw, a)).map((n) => ({ label: NUMBER_LABELS[a.toLowerCase()] ?? a, number: dialable(n) }))).filter((n) => n.number !== '');
      // An entry without a number cannot be called from a handset: it is not listed.
      if (name !== '' && numbers.length > 0) entries.push({ name, numbers });
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    return { ok: true, entries: entries.slice(0, maxHits), more: searchEntries.length > maxHits };
  } catch (err) {
    if (err instanceof ResultCodeError) {
      const words = `LDAP ${stage} on ${where}: result ${err.code} (${err.message.split('\n')[0]})`;
      if (LOGIN_CODES.has(err.code)) return failed('bad-credentials', words);
      return failed('server-error', words);
    }
    const message = err instanceof Error ? err.message.split('\n').pop()! : String(err);
    return failed('unreachable', `LDAP server ${where} not reachable: ${message}`);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
