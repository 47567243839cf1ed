/**
 * ITSP provisioning: which URLs the base fetches and what it does with the answers.
 *
 * The base fetches `ConfigURL` once per registered handset with `${IPEI}` replaced by the handset's IPEI (10 hex
 * digits, upper case), so `http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg` becomes `.../000087654321AB.cfg`-
 * style per-handset files as seed 000 configures; `${MAC}` becomes the base MAC. A ConfigURL without `${IPEI}` is
 * fetched once for the base.
 */
import type { BaseFlash } from './base-flash.ts';
import { parseConfigFile } from './config-file.ts';
import { type BaseSettings, PARAMETERS, type SettingKey } from './parameters.ts';

export interface ProvisioningRequest {
  /** `base` or the handset IPEI the URL was expanded for. */
  source: string;
  url: string;
}

export function provisioningRequests(flash: BaseFlash): ProvisioningRequest[] {
  const { configUrl } = flash.settings;
  if (flash.settings.provisioningOption !== 'ConfigURL' || !configUrl) return [];
  const withMac = configUrl.replaceAll('${MAC}', flash.mac);
  if (!withMac.includes('${IPEI}')) return [{ source: 'base', url: withMac }];
  return flash.handsets.map((h) => ({ source: h.ipei, url: withMac.replaceAll('${IPEI}', h.ipei) }));
}

/** What one fetch brought back. */
export type ProvisioningFetch =
  | { source: string; url: string; ok: true; body: string }
  | { source: string; url: string; ok: false; code: ProvisioningErrorCode; message: string };

export type ProvisioningErrorCode = 'PRV-01' | 'PRV-02' | 'PRV-03' | 'PRV-04' | 'PRV-05';

export const PROVISIONING_ERRORS: Readonly<Record<ProvisioningErrorCode, string>> = {
  'PRV-01': 'Provisioning server not found (DNS): check ConfigURL',
  'PRV-02': 'No response from provisioning server',
  'PRV-03': 'Configuration file not found (HTTP 404)',
  'PRV-04': 'Provisioning server refused the request',
  'PRV-05': 'Configuration file could not be read',
};

export interface ProvisioningOutcome {
  /** Applied values per source, by file key. */
  applied: Record<string, Record<string, string>>;
  /** Base settings the files set (known parameters only, each checked like a web admin value). */
  settings: Partial<BaseSettings>;
  problems: string[];
  errors: Array<{ source: string; code: ProvisioningErrorCode; message: string }>;
}

const BY_FILE_KEY = new Map([...PARAMETERS.values()].map((p) => [p.fileKey, p]));

export function interpretFetches(fetches: ProvisioningFetch[]): ProvisioningOutcome {
  const outcome: ProvisioningOutcome = { applied: {}, settings: {}, problems: [], errors: [] };
  for (const f of fetches) {
    if (!f.ok) {
      outcome.errors.push({ source: f.source, code: f.code, message: f.message });
      continue;
    }
    const parsed = parseConfigFile(f.body);
    if (parsed.errors.length > 0 && Object.keys(parsed.values).length === 0) {
      // Not a configuration file at all (a web page, a service's banner: e.g. a ConfigURL without its file name or
      // ${IPEI}): nothing applied, and said as an error rather than a green "applied" with a footnote.
      const first = parsed.errors[0]!;
      outcome.errors.push({
        source: f.source,
        code: 'PRV-05',
        message: `${PROVISIONING_ERRORS['PRV-05']}: ${f.url} holds no %KEY%: "value" line (line ${first.line}: ${first.message}); check the ConfigURL's file name${f.source === 'base' ? ' — for one file per handset it needs ${IPEI}' : ''}`,
      });
      continue;
    }
    for (const e of parsed.errors) outcome.problems.push(`${f.url} line ${e.line}: ${e.message}`);
    outcome.applied[f.source] = parsed.values;
    for (const [key, value] of Object.entries(parsed.values)) {
      const def = BY_FILE_KEY.get(key);
      if (!def) continue;
      const problem = def.check(value);
      if (problem) outcome.problems.push(`${f.url}: %${key}% ${problem}`);
      else (outcome.settings as Record<SettingKey, string>)[def.key] = value;
    }
  }
  return outcome;
}

/** What makes a newly fetched file a change the base restarts for (firmware profile fields of the same names). */
export interface RestartRules {
  /** A handset's first file (no file applied yet for that IPEI) counts. */
  rebootOnFirstHandsetFile: boolean;
  /** A change of display keys only (`%TEAMS_…%`, `%LANGUAGE%`: what the handset shows) counts. */
  rebootOnDisplayOnlyChange: boolean;
}

const EVERY_CHANGE: RestartRules = { rebootOnFirstHandsetFile: true, rebootOnDisplayOnlyChange: true };

/** A file key that only tells the handset what to show; the base's SIP registration does not depend on it. */
export function isDisplayKey(key: string): boolean {
  return key.startsWith('TEAMS_') || key === 'LANGUAGE';
}

/** Whether applying `outcome` changes anything the base runs with, as `rules` count changes. */
export function changesAnything(flash: BaseFlash, outcome: ProvisioningOutcome, rules: RestartRules = EVERY_CHANGE): boolean {
  for (const [key, value] of Object.entries(outcome.settings) as Array<[SettingKey, string]>) {
    if (flash.settings[key] !== value) return true;
  }
  const before = flash.provisioning.applied;
  for (const [source, values] of Object.entries(outcome.applied)) {
    const previous = before[source];
    const handsetFile = source !== 'base';
    if (previous === undefined && handsetFile && !rules.rebootOnFirstHandsetFile) continue;
    const counts = handsetFile && !rules.rebootOnDisplayOnlyChange ? (key: string) => !isDisplayKey(key) : () => true;
    if (!sameEntries(previous ?? {}, values, counts)) return true;
  }
  return false;
}

const EVERY_KEY = (): boolean => true;

/**
 * The applied files after a fetch: each fetched file over the one it replaces (as `{ ...before, ...fetched }`), but
 * the earlier object kept where a file is entry for entry the same, and `before` itself when every file is: most
 * rounds fetch what the base already holds, and what reads the flash (the line wiring, the lab file) then sees
 * nothing new.
 */
export function appliedAfter(
  before: Record<string, Record<string, string>>,
  fetched: Record<string, Record<string, string>>,
): Record<string, Record<string, string>> {
  let next: Record<string, Record<string, string>> | undefined;
  for (const [source, values] of Object.entries(fetched)) {
    const previous = before[source];
    if (previous !== undefined && sameEntries(previous, values, EVERY_KEY)) continue;
    next ??= { ...before };
    next[source] = values;
  }
  return next ?? before;
}

/** The settings after a fetch (as `{ ...before, ...fetched }`), `before` itself when the fetch changes none. */
export function settingsAfter(before: BaseSettings, fetched: Partial<BaseSettings>): BaseSettings {
  for (const [key, value] of Object.entries(fetched) as Array<[SettingKey, string]>) {
    if (before[key] !== value) return { ...before, ...fetched };
  }
  return before;
}

/**
 * Whether two records of strings hold the same entries among the keys `counts` accepts (in the same order, as
 * `JSON.stringify` would compare them when every key counts), without serialising both for every handset's file on
 * every provisioning round.
 */
function sameEntries(a: Record<string, string>, b: Record<string, string>, counts: (key: string) => boolean): boolean {
  const ka = Object.keys(a).filter(counts);
  const kb = Object.keys(b).filter(counts);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || a[k] !== b[k]) return false;
  }
  return true;
}

/** The host a ConfigURL names (lower case), its `${IPEI}`/`${MAC}` placeholders aside; undefined when it is no URL. */
export function configUrlHost(url: string): string | undefined {
  try {
    return new URL(url.replaceAll('${IPEI}', '0000000000').replaceAll('${MAC}', '000000000000')).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The part of the settings whose change re-targets ITSP provisioning. */
export function provisioningTarget(s: BaseSettings): string {
  return s.provisioningOption === 'ConfigURL' ? s.configUrl : '';
}
