/**
 * The Teams texts on the handset — the Sign in / Sign out soft keys, the sign-in and sign-out messages and the pairing
 * screen — in the language of the provisioning URL's `lang_xx` (the applied file's `%LANGUAGE%`). Microsoft: "The
 * language setting affects the phones interface, including softkeys and Sign-in/Sign-out system messages"; en (the
 * default), es, ja, de, fr, pt; "The system defaults to English if the selected language is not supported by the SIP
 * endpoint" [seed 001].
 *
 * [inferred] The words are plain, short translations (Microsoft's own per-language strings are not published); each
 * fits where it is shown (a soft key beside `Menu`, a line of the 20-column screen; test: teams-text). Which languages
 * the handset shows them in is the handset profile's `teamsLanguages` (all six by default: the Rove screen already
 * shows its menus in Japanese); any other language, or none, is English (docs/fidelity.md, "Teams texts").
 */
import type { Language } from './handset-record.ts';

const EN = {
  /** Idle soft key and label, the pairing screen's title, the message after `*55*` (three busy tones). */
  signIn: 'Sign in',
  /** Idle soft key once signed in. */
  signOut: 'Sign out',
  /** Pairing screen: "Go to" + the device login URL, "Code:" + the pairing code, soft key Back [seed 001]. */
  goTo: 'Go to',
  code: 'Code:',
  back: 'Back',
  signOutQuestion: 'Sign out?',
  yes: 'Yes',
  no: 'No',
  ok: 'OK',
  signedOut: 'Signed out',
  signInFailed: 'Sign in failed',
  signOutFailed: 'Sign out failed',
  enrollmentFailed: 'Enrollment failed',
} as const;

export type TeamsTextKey = keyof typeof EN;
export type TeamsWords = Readonly<Record<TeamsTextKey, string>>;

const DE: TeamsWords = {
  signIn: 'Anmelden',
  signOut: 'Abmelden',
  goTo: 'Gehe zu',
  code: 'Code:',
  back: 'Zurück',
  signOutQuestion: 'Abmelden?',
  yes: 'Ja',
  no: 'Nein',
  ok: 'OK',
  signedOut: 'Abgemeldet',
  signInFailed: 'Anmeldung fehlgeschlagen',
  signOutFailed: 'Abmeldung fehlgeschlagen',
  enrollmentFailed: 'Registrierung fehlgeschlagen',
};

const ES: TeamsWords = {
  signIn: 'Iniciar sesión',
  signOut: 'Cerrar sesión',
  goTo: 'Vaya a',
  code: 'Código:',
  back: 'Atrás',
  signOutQuestion: '¿Cerrar sesión?',
  yes: 'Sí',
  no: 'No',
  ok: 'OK',
  signedOut: 'Sesión cerrada',
  signInFailed: 'Error al iniciar sesión',
  signOutFailed: 'Error al cerrar sesión',
  enrollmentFailed: 'Error de inscripción',
};

const FR: TeamsWords = {
  signIn: 'Se connecter',
  signOut: 'Déconnexion',
  goTo: 'Allez sur',
  code: 'Code :',
  back: 'Retour',
  signOutQuestion: 'Se déconnecter ?',
  yes: 'Oui',
  no: 'Non',
  ok: 'OK',
  signedOut: 'Déconnecté',
  signInFailed: 'Échec de la connexion',
  signOutFailed: 'Échec de la déconnexion',
  enrollmentFailed: "Échec de l'inscription",
};

const PT: TeamsWords = {
  signIn: 'Entrar',
  signOut: 'Sair',
  goTo: 'Acesse',
  code: 'Código:',
  back: 'Voltar',
  signOutQuestion: 'Sair?',
  yes: 'Sim',
  no: 'Não',
  ok: 'OK',
  signedOut: 'Sessão encerrada',
  signInFailed: 'Falha ao entrar',
  signOutFailed: 'Falha ao sair',
  enrollmentFailed: 'Falha na inscrição',
};

const JA: TeamsWords = {
  signIn: 'サインイン',
  signOut: 'サインアウト',
  goTo: 'アクセス先',
  code: 'コード:',
  back: '戻る',
  signOutQuestion: 'サインアウトしますか?',
  yes: 'はい',
  no: 'いいえ',
  ok: 'OK',
  signedOut: 'サインアウトしました',
  signInFailed: 'サインインできません',
  signOutFailed: 'サインアウトできません',
  enrollmentFailed: '登録できません',
};

export const TEAMS_TEXTS: Readonly<Record<Language, TeamsWords>> = { en: EN, de: DE, es: ES, fr: FR, pt: PT, ja: JA };

/**
 * The Teams words for the file's `%LANGUAGE%` (`language`, any case), in English when the handset does not show
 * Teams texts in it (`shown`: the profile's `teamsLanguages`), when it is not one of Microsoft's six, or absent.
 */
export function teamsWords(language: string | null | undefined, shown: readonly Language[]): TeamsWords {
  const code = (language ?? '').trim().toLowerCase();
  const known = (shown as readonly string[]).includes(code) && Object.hasOwn(TEAMS_TEXTS, code);
  return known ? TEAMS_TEXTS[code as Language] : EN;
}
