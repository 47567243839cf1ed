/**
 * The handset screen as text: six lines of up to twenty characters, rendered from the machine's phase and context by
 * pure functions, so a console, the API and tests all read the same screen.
 *
 * Idle screen (in service):
 * ```text
 * ▂▄▆█           ⇩40%     status bar: signal; over-the-air progress
 *      Handset 1          handset name
 *       9:05 AM           time in the base's time zone (12- or 24-hour: profile `clockFormat`)
 *    Mon 11/02/2026       date, in the display language's order
 *                         line name or number (once a line is assigned), or Unregistered / Searching... / Out of range
 * Menu                    soft keys
 * ```
 * [inferred] The layout (line count, width, glyphs) is a modelling choice; the Rove 30/40 screens are graphical.
 */
import { displayIpei } from './ipei.ts';
import type { HandsetContext, HandsetPhase } from './handset-machine.ts';
import { openMenu } from './handset-menu.ts';
import type { HandsetFirmwareProfile } from './handset-profile.ts';
import type { Language } from './handset-record.ts';
import { text, type TextKey, WEEKDAYS } from './handset-text.ts';
import { directoryText } from './directory-text.ts';

export const DISPLAY_LINES = 6;
export const DISPLAY_COLUMNS = 20;

const SIGNAL = '▂▄▆█';
const MENU_ROWS = DISPLAY_LINES - 2;

export interface DisplayInput {
  phase: HandsetPhase;
  context: Pick<
    HandsetContext,
    'record' | 'profile' | 'timeZone' | 'menu' | 'input' | 'entries' | 'entryCursor' | 'notice' | 'callee' | 'ota' | 'directory'
  >;
  /** Virtual epoch ms (the lab clock). */
  now: number;
}

/** The screen as {@link DISPLAY_LINES} lines, each exactly {@link DISPLAY_COLUMNS} characters wide. */
export function renderDisplay(input: DisplayInput): string[] {
  return screenLines(input).concat(Array(DISPLAY_LINES).fill('')).slice(0, DISPLAY_LINES).map(fit);
}

function screenLines({ phase, context, now }: DisplayInput): string[] {
  const lang = context.record.language;
  const t = (key: TextKey) => text(lang, key);
  switch (phase.power) {
    case 'off':
      return [];
    case 'starting':
      return ['', '', center('Poly'), center(context.record.model)];
    case 'stopping':
      return ['', '', center(t('switchingOff'))];
    case 'installing':
      return [center(t('firmwareUpdate')), '', center(context.ota?.to ?? ''), center('100%'), center(t('doNotSwitchOff'))];
    case 'on':
      break;
  }
  const title = (key: TextKey) => center(t(key));
  switch (phase.ui) {
    case 'menu': {
      const menu = openMenu(context.menu);
      const labels = (menu.children ?? []).map((item) => {
        const label = 'key' in item.label ? t(item.label.key) : item.label.fixed;
        const current = item.action?.kind === 'language' && item.action.language === lang;
        return current ? `${label} *` : label;
      });
      return [center('key' in menu.label ? t(menu.label.key) : menu.label.fixed), ...list(labels, context.menu.cursor), softKeys(t('select'), t('back'))];
    }
    case 'scanning':
      return [title('register'), '', title('searchingBase'), '', '', softKeys('', t('back'))];
    case 'choosing-base':
      return [title('register'), ...list(context.entries.map((e) => e.label), context.entryCursor), softKeys(t('select'), t('back'))];
    case 'entering-code': {
      const entry = context.entries.find((e) => e.mac === highlightedEntryMac(context));
      return [
        title('register'),
        center(entry?.label ?? ''),
        '',
        center(`${t('accessCode')}:`),
        center(context.input ? '*'.repeat(context.input.length) : '____'),
        softKeys(t('ok'), context.input ? t('clear') : t('back')),
      ];
    }
    case 'registering':
      return [title('register'), '', title('registering')];
    case 'confirm-deregister':
      return [title('deregister'), '', title('deregisterQuestion'), '', '', softKeys(t('yes'), t('no'))];
    case 'deregistering':
      return [title('deregister'), '', title('deregistering')];
    case 'info': {
      const sub = context.record.subscription;
      return [
        title('handsetInfo'),
        `${t('ipei')} ${displayIpei(context.record.ipei)}`,
        `${t('firmware')} ${context.record.firmware}`,
        `${t('base')} ${sub ? sub.baseMac : '-'}`,
        sub ? `${context.record.model}  ${t('slot')} ${sub.slot}` : context.record.model,
        softKeys('', t('back')),
      ];
    }
    case 'notice':
      return ['', '', ...(context.notice?.lines ?? []).map((key) => center(t(key)))];
    case 'dialling':
      return [statusBar(phase, context), '', center(context.input.slice(-DISPLAY_COLUMNS)), '', '', softKeys('', t('clear'))];
    case 'call':
      return [statusBar(phase, context), '', title('calling'), center(context.callee ?? '')];
    case 'directory':
      return directoryScreen(context);
    case 'idle':
    case null:
      return idleScreen(phase, context, now);
  }
}

/**
 * Contacts:
 * ```text
 *    Contacts (50+)       title; (n+) when the base has more than it sent
 * Find: ad_               what is typed (_: the letter is still open)
 * > Adele Vance           the answer: up to 3 entries, or a message
 *   Alex Wilber
 *
 * Select          Clear   soft keys
 * ```
 * An opened entry lists its numbers (`Work: +14255550101`), green or OK calls the highlighted one.
 */
function directoryScreen(context: DisplayInput['context']): string[] {
  const lang = context.record.language;
  const screen = context.directory;
  const d = (key: Parameters<typeof directoryText>[1]) => directoryText(lang, key);
  if (!screen) return [];
  const answer = screen.answer;
  if (screen.opened !== null && answer?.ok) {
    const entry = answer.entries[screen.opened];
    // `> Mobile: +14255550107` does not fit 20 columns: then the label shrinks to its first letter (`M: …`).
    const numbers = (entry?.numbers ?? []).map((n) => (`${n.label}: ${n.number}`.length <= DISPLAY_COLUMNS - 2 ? `${n.label}: ${n.number}` : `${n.label[0]}: ${n.number}`));
    return [center(entry?.name ?? ''), ...list(numbers, screen.numberCursor), softKeys(d('call'), text(lang, 'back'))];
  }
  const more = answer?.ok && answer.more ? ` (${answer.entries.length}+)` : '';
  const rows =
    answer === null
      ? ['', center(text(lang, 'searching')), '']
      : !answer.ok
        ? ['', center(d(answer.problem)), '']
        : answer.entries.length === 0
          ? ['', center(d('noMatches')), '']
          : list(
              answer.entries.map((e) => e.name),
              screen.cursor,
              DIRECTORY_ROWS,
            );
  const typed = `${d('find')}: ${screen.query}${screen.tapKey ? '_' : ''}`;
  return [
    center(`${text(lang, 'contacts')}${more}`),
    typed,
    ...rows,
    softKeys(answer?.ok && answer.entries.length > 0 ? text(lang, 'select') : '', screen.query ? text(lang, 'clear') : text(lang, 'back')),
  ];
}

const DIRECTORY_ROWS = 3;

function idleScreen(phase: HandsetPhase, context: DisplayInput['context'], now: number): string[] {
  const lang = context.record.language;
  const record = context.record;
  const name = record.name ?? (record.subscription ? `${text(lang, 'handset')} ${record.subscription.slot}` : record.model);
  const clock = context.timeZone === null ? null : clockFace(now, context.timeZone, lang, context.profile.clockFormat);
  const status: Partial<Record<NonNullable<HandsetPhase['link']>, TextKey>> = {
    unregistered: 'unregistered',
    searching: 'searching',
    locating: 'searching',
    'out-of-range': 'outOfRange',
  };
  const key = phase.link ? status[phase.link] : undefined;
  return [
    statusBar(phase, context),
    center(name),
    center(clock?.time ?? ''),
    center(clock?.date ?? ''),
    center(key ? text(lang, key) : (record.line ?? '')),
    softKeys(text(lang, 'menu'), ''),
  ];
}

function statusBar(phase: HandsetPhase, context: DisplayInput['context']): string {
  const signal = phase.link === 'in-service' ? SIGNAL : '';
  const ota = phase.ota === 'transferring' && context.ota ? `⇩${context.ota.percent}%` : '';
  return softKeys(signal, ota);
}

function highlightedEntryMac(context: DisplayInput['context']): string | undefined {
  return context.entries[context.entryCursor]?.mac;
}

/** Up to `count` rows around the cursor, the highlighted one marked `>`. */
function list(labels: readonly string[], cursor: number, count = MENU_ROWS): string[] {
  const start = Math.max(0, Math.min(cursor - count + 1, labels.length - count));
  const rows = labels.slice(start, start + count).map((label, i) => `${start + i === cursor ? '>' : ' '} ${label}`);
  while (rows.length < count) rows.push('');
  return rows;
}

function chars(s: string): string[] {
  return [...s];
}

function fit(line: string): string {
  const c = chars(line);
  return c.length >= DISPLAY_COLUMNS ? c.slice(0, DISPLAY_COLUMNS).join('') : line + ' '.repeat(DISPLAY_COLUMNS - c.length);
}

function center(s: string): string {
  const n = chars(s).length;
  if (n >= DISPLAY_COLUMNS) return s;
  return ' '.repeat(Math.floor((DISPLAY_COLUMNS - n) / 2)) + s;
}

function softKeys(left: string, right: string): string {
  const gap = DISPLAY_COLUMNS - chars(left).length - chars(right).length;
  return gap >= 1 ? left + ' '.repeat(gap) + right : `${left} ${right}`;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function localParts(now: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    partsFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

/**
 * Time and date as the idle screen shows them, in `timeZone`. 12-hour (`9:05 PM`) when the profile says
 * `always-12h` (the known issue of seed 000) or the language is English; otherwise 24-hour (`21:05`).
 */
export function clockFace(
  now: number,
  timeZone: string,
  language: Language,
  clockFormat: HandsetFirmwareProfile['clockFormat'],
): { time: string; date: string } {
  const p = localParts(now, timeZone);
  const mm = String(p.minute).padStart(2, '0');
  const twelve = clockFormat === 'always-12h' || language === 'en';
  const time = twelve ? `${p.hour % 12 || 12}:${mm} ${p.hour < 12 ? 'AM' : 'PM'}` : `${String(p.hour).padStart(2, '0')}:${mm}`;
  const weekday = WEEKDAYS[language][new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
  const DD = String(p.day).padStart(2, '0');
  const MM = String(p.month).padStart(2, '0');
  const date =
    language === 'en'
      ? `${weekday} ${MM}/${DD}/${p.year}`
      : language === 'de'
        ? `${weekday} ${DD}.${MM}.${p.year}`
        : language === 'ja'
          ? `${p.year}/${MM}/${DD}(${weekday})`
          : `${weekday} ${DD}/${MM}/${p.year}`;
  return { time, date };
}
