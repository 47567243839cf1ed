/**
 * What the Contacts (central directory) screens write, per display language. [inferred] The Rove's own words are not
 * published; English is what a DECT handset plausibly shows in 20 columns, the others are plain translations
 * (docs/fidelity.md, Handsets). Kept beside handset-text.ts rather than in it: one concept, one table.
 */
import type { DirectoryProblem } from '../base-station/central-directory.ts';
import type { Language } from './handset-record.ts';

const EN = {
  find: 'Find',
  call: 'Call',
  noMatches: 'No entries found',
  'bad-credentials': 'Server login failed',
  unreachable: 'Server not reachable',
  'server-error': 'Directory error',
  disabled: 'No directory',
  'not-configured': 'Directory not set up',
  'no-service': 'No service',
} as const;

export type DirectoryTextKey = keyof typeof EN;
type Table = Readonly<Record<DirectoryTextKey, string>>;

const TABLES: Readonly<Record<Language, Table>> = {
  en: EN,
  de: {
    find: 'Suche',
    call: 'Anruf',
    noMatches: 'Nichts gefunden',
    'bad-credentials': 'Login fehlgeschlagen',
    unreachable: 'Keine Verbindung',
    'server-error': 'Verzeichnisfehler',
    disabled: 'Kein Verzeichnis',
    'not-configured': 'Nicht eingerichtet',
    'no-service': 'Kein Netz',
  },
  fr: {
    find: 'Chercher',
    call: 'Appel',
    noMatches: 'Aucun résultat',
    'bad-credentials': 'Échec connexion',
    unreachable: 'Serveur injoignable',
    'server-error': 'Erreur annuaire',
    disabled: "Pas d'annuaire",
    'not-configured': 'Annuaire non config.',
    'no-service': 'Pas de réseau',
  },
  es: {
    find: 'Buscar',
    call: 'Llamar',
    noMatches: 'Sin resultados',
    'bad-credentials': 'Error de acceso',
    unreachable: 'Servidor inaccesible',
    'server-error': 'Error de directorio',
    disabled: 'Sin directorio',
    'not-configured': 'Sin configurar',
    'no-service': 'Sin servicio',
  },
  pt: {
    find: 'Procurar',
    call: 'Ligar',
    noMatches: 'Sem resultados',
    'bad-credentials': 'Falha no login',
    unreachable: 'Servidor inacessível',
    'server-error': 'Erro no diretório',
    disabled: 'Sem diretório',
    'not-configured': 'Não configurado',
    'no-service': 'Sem serviço',
  },
  ja: {
    find: '検索',
    call: '発信',
    noMatches: '見つかりません',
    'bad-credentials': 'ログイン失敗',
    unreachable: 'サーバー接続不可',
    'server-error': 'ディレクトリエラー',
    disabled: 'ディレクトリなし',
    'not-configured': '未設定',
    'no-service': '圏外',
  },
};

export function directoryText(language: Language, key: DirectoryTextKey | DirectoryProblem): string {
  return TABLES[language][key];
}
