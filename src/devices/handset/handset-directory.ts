/**
 * The Contacts screen's state: what has been typed (letters by multi-tap on the keypad, as DECT handsets enter names),
 * the base's answer and where the cursor is. Pure data and functions; the machine keeps a `DirectoryScreen` in its
 * context and decides when to search (handset-machine.ts: `directory`).
 *
 * Multi-tap: a key pressed again while its letter is still open cycles through its letters (`2`: a → b → c → 2); another
 * key, or a pause of the profile's `directoryKeyPauseMs`, settles the letter. The base is asked after that pause.
 */
import type { DirectoryAnswer, DirectoryNumber } from '../base-station/central-directory.ts';
import type { DialKey } from './handset-keys.ts';

export const KEY_LETTERS: Readonly<Record<DialKey, string>> = {
  '1': '.-1',
  '2': 'abc2',
  '3': 'def3',
  '4': 'ghi4',
  '5': 'jkl5',
  '6': 'mno6',
  '7': 'pqrs7',
  '8': 'tuv8',
  '9': 'wxyz9',
  '0': ' 0',
  '*': '*',
  '#': '#',
};

/** [inferred] The longest search text a handset takes. */
export const MAX_QUERY = 24;

export interface DirectoryScreen {
  query: string;
  /** The key whose letter is still open (multi-tap), or null. */
  tapKey: DialKey | null;
  tapIndex: number;
  /** The base's answer to the last search; null while searching. */
  answer: DirectoryAnswer | null;
  cursor: number;
  /** The entry opened to choose one of its numbers (index into the answer's entries), or null in the list. */
  opened: number | null;
  numberCursor: number;
}

export const EMPTY_DIRECTORY: DirectoryScreen = { query: '', tapKey: null, tapIndex: 0, answer: null, cursor: 0, opened: null, numberCursor: 0 };

/** A key typed into the search: the open letter cycles, or a new letter starts. The list waits for the new answer. */
export function typeKey(screen: DirectoryScreen, key: DialKey): DirectoryScreen {
  const letters = KEY_LETTERS[key];
  if (screen.tapKey === key && screen.query.length > 0) {
    const tapIndex = (screen.tapIndex + 1) % letters.length;
    return { ...screen, query: screen.query.slice(0, -1) + letters[tapIndex], tapIndex, answer: null, cursor: 0 };
  }
  if (screen.query.length >= MAX_QUERY) return { ...screen, tapKey: null };
  return { ...screen, query: screen.query + letters[0], tapKey: key, tapIndex: 0, answer: null, cursor: 0 };
}

export function settleLetter(screen: DirectoryScreen): DirectoryScreen {
  return { ...screen, tapKey: null, tapIndex: 0 };
}

export function deleteLetter(screen: DirectoryScreen): DirectoryScreen {
  return { ...screen, query: screen.query.slice(0, -1), tapKey: null, tapIndex: 0, answer: null, cursor: 0 };
}

export function withAnswer(screen: DirectoryScreen, answer: DirectoryAnswer): DirectoryScreen {
  return { ...screen, answer, cursor: 0, opened: null, numberCursor: 0 };
}

function entryCount(screen: DirectoryScreen): number {
  return screen.answer?.ok ? screen.answer.entries.length : 0;
}

/** Up/down: through the list, or through the opened entry's numbers (wrapping, as the menus do). */
export function moveDirectoryCursor(screen: DirectoryScreen, by: 1 | -1): DirectoryScreen {
  if (screen.opened !== null && screen.answer?.ok) {
    const count = screen.answer.entries[screen.opened]?.numbers.length ?? 0;
    return count ? { ...screen, numberCursor: (screen.numberCursor + by + count) % count } : screen;
  }
  const count = entryCount(screen);
  return count ? { ...screen, cursor: (screen.cursor + by + count) % count } : screen;
}

export function hasEntries(screen: DirectoryScreen | null): boolean {
  return screen !== null && entryCount(screen) > 0;
}

export function openEntry(screen: DirectoryScreen): DirectoryScreen {
  return hasEntries(screen) ? { ...screen, opened: screen.cursor, numberCursor: 0 } : screen;
}

export function closeEntry(screen: DirectoryScreen): DirectoryScreen {
  return { ...screen, opened: null, numberCursor: 0 };
}

/** The number the green key calls: the opened entry's highlighted number, or the highlighted entry's first. */
export function chosenNumber(screen: DirectoryScreen | null): DirectoryNumber | null {
  if (!screen?.answer?.ok) return null;
  const entry = screen.answer.entries[screen.opened ?? screen.cursor];
  if (!entry) return null;
  return entry.numbers[screen.opened === null ? 0 : screen.numberCursor] ?? null;
}
