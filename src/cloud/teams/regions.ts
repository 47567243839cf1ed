/**
 * Where the Teams SIP Gateway lives: its regions, the provisioning host of each, the SIP host a device registers to,
 * and the user-interface languages a provisioning URL can ask for.
 */

/** Region tokens as Microsoft writes them (`New-CsSdgBulkSignInRequest -Region`). */
export type Region = 'NOAM' | 'EMEA' | 'APAC';
export const REGIONS: readonly Region[] = ['NOAM', 'EMEA', 'APAC'];

/** The provisioning servers devices are pointed at [seed 001, MS]; plain http. */
export const PROVISIONING_HOST: Readonly<Record<Region, string>> = {
  NOAM: 'noam.ipp.sdg.teams.microsoft.com',
  EMEA: 'emea.ipp.sdg.teams.microsoft.com',
  APAC: 'apac.ipp.sdg.teams.microsoft.com',
};

/**
 * The SIP registrar a provisioning file points a device at. [inferred] The real host names are not published in the
 * sources; these are the simulator's and the SIP wiring resolves them. Port 5061 over TLS is [seed 001, MS].
 */
export const SIP_HOST: Readonly<Record<Region, string>> = {
  NOAM: 'noam.sip.sdg.teams.microsoft.com',
  EMEA: 'emea.sip.sdg.teams.microsoft.com',
  APAC: 'apac.sip.sdg.teams.microsoft.com',
};
export const SIP_PORT = 5061;
export const SIP_TRANSPORT = 'TLS';

/** The region whose provisioning server answers on `host` (port and case ignored), if any. */
export function regionOfHost(host: string | undefined): Region | undefined {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  return REGIONS.find((r) => PROVISIONING_HOST[r] === name);
}

export function parseRegion(input: string): Region | undefined {
  const upper = input.trim().toUpperCase();
  return (REGIONS as readonly string[]).includes(upper) ? (upper as Region) : undefined;
}

/** Supported UI languages [seed 001]: English is the default and the fallback. */
export type Language = 'en' | 'es' | 'ja' | 'de' | 'fr' | 'pt';
export const LANGUAGES: Readonly<Record<Language, string>> = {
  en: 'English',
  es: 'Spanish',
  ja: 'Japanese',
  de: 'German',
  fr: 'French',
  pt: 'Portuguese',
};

/** `de` → `de`; unsupported or absent → `en` ("The system defaults to English if the selected language is not supported"). */
export function resolveLanguage(code: string | undefined): Language {
  const lower = (code ?? '').toLowerCase();
  return Object.hasOwn(LANGUAGES, lower) ? (lower as Language) : 'en';
}
