/**
 * The Teams texts on the handset screen in the language of the provisioning URL (`lang_xx` → the applied file's
 * `%LANGUAGE%`): soft keys, the pairing screen, the sign-in and sign-out messages [seed 001: "The language setting
 * affects the phones interface, including softkeys and Sign-in/Sign-out system messages"]. The phone alone, with a
 * stand-in line and the facts its base hands over.
 */
import { describe, expect, it } from 'vitest';
import type { Line } from '../../../src/sip/line/line.ts';
import { HandsetPhone, type PhoneHost } from '../../../src/devices/handset/handset-phone.ts';
import { LANGUAGES, type Language } from '../../../src/devices/handset/handset-record.ts';
import { text } from '../../../src/devices/handset/handset-text.ts';
import type { LineFacts } from '../../../src/devices/handset/teams-line.ts';
import { TEAMS_TEXTS } from '../../../src/devices/handset/teams-text.ts';

const COLUMNS = 20;

/** A phone whose base applied a Teams file in `language`, in `state`; `shown`: the profile's teamsLanguages. */
function phoneWithTeamsFile(language: string, state: 'waiting-for-sign-in' | 'signed-in', shown: readonly Language[] = LANGUAGES) {
  let screenIsPhones = false;
  const labels: Array<string | null> = [];
  const host: PhoneHost = {
    send: (event) => {
      screenIsPhones = event.type === 'PHONE_SCREEN';
    },
    tone: () => undefined,
    refresh: () => undefined,
    setLabel: (label) => labels.push(label),
    hasScreen: () => screenIsPhones,
    isIdle: () => !screenIsPhones,
    noticeMs: () => 3_000,
    teamsLanguages: () => shown,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
  };
  const line = {
    state: 'OK',
    isDisposed: false,
    extension: state === 'signed-in' ? '+4969555010' : 'onboarding-000087654321',
    on: () => () => undefined,
  } as unknown as Line;
  const facts: LineFacts = {
    kind: 'teams',
    fileState: state,
    server: 'emea.sip.sdg.teams.microsoft.com',
    label: state === 'signed-in' ? '+4969555010' : null,
    language,
    softKeys: { signIn: () => ({ ok: true, code: 'PY89F9J3N', url: 'https://microsoft.com/devicelogin' }), signOut: () => ({ ok: true }) },
  };
  const phone = new HandsetPhone(host);
  phone.attach(line, facts);
  const screen = () => (phone.render('') ?? []).map((l) => l.trim());
  return { phone, screen, label: () => labels.at(-1) ?? null };
}

describe('Teams texts in the language of lang_xx (seed 001, "Support a multi-language user interface")', () => {
  it('German: the idle soft key and label say Anmelden; the pairing screen says Gehe zu, Code: and Zurück', () => {
    const { phone, screen, label } = phoneWithTeamsFile('de', 'waiting-for-sign-in');
    expect(phone.idleSoftKey()).toBe('Anmelden');
    expect(label()).toBe('Anmelden');
    phone.key('soft2', true);
    expect(screen()).toEqual(['Anmelden', 'Gehe zu', 'microsoft.com/', 'devicelogin', 'Code: PY89F9J3N', 'Zurück']);
  });

  it('Japanese: サインイン, アクセス先, コード: and 戻る; the URL and the code stay as the gateway sent them', () => {
    const { phone, screen } = phoneWithTeamsFile('ja', 'waiting-for-sign-in');
    expect(phone.idleSoftKey()).toBe('サインイン');
    phone.key('soft2', true);
    expect(screen()).toEqual(['サインイン', 'アクセス先', 'microsoft.com/', 'devicelogin', 'コード: PY89F9J3N', '戻る']);
  });

  it('the sign-out soft key, question and message follow the language too', () => {
    const { phone, screen } = phoneWithTeamsFile('de', 'signed-in');
    expect(phone.idleSoftKey()).toBe('Abmelden');
    phone.key('soft2', true);
    expect(screen()).toEqual(['', '', 'Abmelden?', '+4969555010', '', `Ja${' '.repeat(COLUMNS - 6)}Nein`]);
    phone.key('soft1', false);
    expect(screen()).toContain('Abgemeldet');
  });

  it('English without lang_xx, for a language that is not one of the six, and for one the handset does not show', () => {
    expect(phoneWithTeamsFile('', 'waiting-for-sign-in').phone.idleSoftKey()).toBe('Sign in');
    expect(phoneWithTeamsFile('it', 'waiting-for-sign-in').phone.idleSoftKey()).toBe('Sign in');
    const noJapanese = phoneWithTeamsFile('ja', 'waiting-for-sign-in', ['en', 'de', 'fr', 'es', 'pt']);
    noJapanese.phone.key('soft2', true);
    expect(noJapanese.screen()).toEqual(['Sign in', 'Go to', 'microsoft.com/', 'devicelogin', 'Code: PY89F9J3N', 'Back']);
  });

  it('every translation fits where it is shown: soft keys beside Menu / each other, pairing lines on 20 columns', () => {
    for (const language of LANGUAGES) {
      const w = TEAMS_TEXTS[language];
      const width = (s: string) => [...s].length;
      const menu = text(language, 'menu');
      expect(width(menu) + 1 + width(w.signIn), `${language} Sign in`).toBeLessThanOrEqual(COLUMNS);
      expect(width(menu) + 1 + width(w.signOut), `${language} Sign out`).toBeLessThanOrEqual(COLUMNS);
      expect(width(w.yes) + 1 + width(w.no), `${language} Yes/No`).toBeLessThanOrEqual(COLUMNS);
      expect(width(`${w.code} PY89F9J3N`), `${language} Code`).toBeLessThanOrEqual(COLUMNS);
      for (const line of [w.signIn, w.goTo, w.back, w.signOutQuestion, w.signedOut]) expect(width(line), `${language} ${line}`).toBeLessThanOrEqual(COLUMNS);
    }
  });
});
