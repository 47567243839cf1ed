/**
 * Who is in a classroom: a roster CSV the instructor writes (`name,login,password`, a header line first, in any column
 * order), or N trainees with generated logins and passwords. A roster is checked whole and every problem is reported
 * with its line, so the instructor fixes the file once:
 *
 *     roster.csv:3: login "Ann Lee" may have only lower-case letters, digits, ".", "_" and "-" (e.g. ann.lee)
 *     roster.csv:5: login "bob" is already used on line 2
 *
 * Logins name the trainee's cookie (`rove-trainee-<login>`) and lab file (`<login>.db`), hence the narrow alphabet.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERR_CLASSROOM_ROSTER_INVALID } from '../kernel/error-catalogue.ts';

export interface RosterEntry {
  name: string;
  login: string;
  password: string;
}

export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
/** A classroom this large would not fit one process on this kind of machine (docs/training.md, bench). */
export const MAX_TRAINEES = 60;
const COLUMNS = ['name', 'login', 'password'] as const;
/** The instructor's own login on the classroom's login page: no trainee may take it. */
export const INSTRUCTOR_LOGIN = 'instructor';

/** Splits one CSV line (RFC 4180 quoting, `""` for a quote inside quotes); undefined when a quote is left open. */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  out.push(field);
  return out.map((f) => f.trim());
}

/** Reads and checks a roster CSV; throws `CLASSROOM_ROSTER_INVALID` listing every problem with its line. */
export function readRosterFile(file: string): RosterEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ERR_CLASSROOM_ROSTER_INVALID(`${path.basename(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseRoster(text, path.basename(file));
}

export function parseRoster(text: string, file = 'roster.csv'): RosterEntry[] {
  const problems: string[] = [];
  const say = (line: number, message: string) => problems.push(`${file}:${line}: ${message}`);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new ERR_CLASSROOM_ROSTER_INVALID(`${file}:1: the roster is empty: write a header line "name,login,password", then one line per trainee`);
  const header = (splitCsvLine(lines[headerAt]!) ?? []).map((h) => h.toLowerCase());
  const missing = COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (missing.length || extra.length) {
    const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `has unknown column${extra.length > 1 ? 's' : ''} ${extra.map((e) => `"${e}"`).join(', ')}` : ''];
    throw new ERR_CLASSROOM_ROSTER_INVALID(`${file}:${headerAt + 1}: the header ${parts.filter(Boolean).join(' and ')}: it must name the columns name,login,password (any order)`);
  }
  const col = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const entries: RosterEntry[] = [];
  const seen = new Map<string, number>();
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const line = i + 1;
    const fields = splitCsvLine(raw);
    if (!fields) {
      say(line, 'a quote is opened and not closed');
      continue;
    }
    if (fields.length !== header.length) {
      say(line, `${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length} (name,login,password; quote a name that holds a comma)`);
      continue;
    }
    const name = fields[col.name]!;
    const login = fields[col.login]!;
    const password = fields[col.password]!;
    const before = problems.length;
    if (!name) say(line, 'the name is empty');
    if (!login) say(line, 'the login is empty');
    else if (!LOGIN_PATTERN.test(login)) {
      const suggestion = name.toLowerCase().normalize('NFD').replace(/[^\x00-\x7f]/g, '').replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, 32);
      say(line, `login "${login}" may have only lower-case letters, digits, ".", "_" and "-", at most 32, starting with a letter or digit${suggestion ? ` (e.g. ${suggestion})` : ''}`);
    } else if (login === INSTRUCTOR_LOGIN) say(line, `login "${INSTRUCTOR_LOGIN}" is the instructor's: give the trainee another`);
    else if (seen.has(login)) say(line, `login "${login}" is already used on line ${seen.get(login)}`);
    if (password.length < 6) say(line, `the password of "${login || name}" is too short: at least 6 characters`);
    if (problems.length === before) {
      seen.set(login, line);
      entries.push({ name, login, password });
    }
  }
  if (problems.length === 0 && entries.length === 0) say(headerAt + 2, 'no trainees: one line per trainee after the header (name,login,password)');
  if (entries.length > MAX_TRAINEES) say(headerAt + 1, `${entries.length} trainees: a classroom takes at most ${MAX_TRAINEES} (one process); split the roster`);
  if (problems.length) throw new ERR_CLASSROOM_ROSTER_INVALID(problems.join('\n'));
  return entries;
}

/** A password a person can read out and type: 10 letters and digits without look-alikes (0/O, 1/l/I). */
export function generatePassword(random: (n: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789';
  return [...random(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** `trainee01` … `traineeNN`, each with a generated password. */
export function generatedRoster(count: number, random?: (n: number) => Buffer): RosterEntry[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_TRAINEES) {
    throw new ERR_CLASSROOM_ROSTER_INVALID(`--trainees must be a whole number from 1 to ${MAX_TRAINEES}`);
  }
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(width, '0');
    return { name: `Trainee ${n}`, login: `trainee${n}`, password: generatePassword(random) };
  });
}

/** The roster as CSV (DIR/trainees.csv): the same columns a roster file takes, so it can be given back as `--roster`. */
export function rosterCsv(entries: readonly RosterEntry[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `name,login,password\n${entries.map((e) => [e.name, e.login, e.password].map(quote).join(',')).join('\n')}\n`;
}
