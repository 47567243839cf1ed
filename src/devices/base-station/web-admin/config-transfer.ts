/**
 * System Management → Configuration: export the base's settings as a file and import one back.
 *
 * The file is the base's own configuration format (`%KEY%: "value"` lines, src/devices/base-station/config-file.ts) with the
 * parameters table's file keys, so an exported file can also be served as an ITSP provisioning file. An import is
 * all or nothing: every line must parse, every key must be a setting of the base and every value must pass the same
 * check as the web admin forms; otherwise nothing is applied and each problem is reported with its line number.
 */
import type { BaseStation } from '../base-station.ts';
import { parseConfigFile, serializeConfigFile } from '../config-file.ts';
import { type BaseSettings, checkSettings, type ParameterDef, PARAMETERS, type SettingKey } from '../parameters.ts';
import { formatMac } from '../../../kernel/mac.ts';
import { formatTime } from './time-format.ts';

const BY_FILE_KEY: ReadonlyMap<string, ParameterDef> = new Map([...PARAMETERS.values()].map((p) => [p.fileKey, p]));

export interface ExportedConfig {
  fileName: string;
  text: string;
}

export function exportConfig(base: BaseStation, now: number): ExportedConfig {
  const { model, mac, firmware, settings } = base.flash;
  // Passwords stay on the base, as the admin password does: a file handed around must not carry the directory login.
  const values = Object.fromEntries([...PARAMETERS.values()].filter((p) => !p.secret).map((p) => [p.fileKey, settings[p.key]]));
  const header = [
    `Rove ${model} ${formatMac(mac)} configuration, firmware ${firmware}`,
    `Exported ${formatTime(now, settings.timeZone)}`,
    'Import: System Management -> Configuration',
    'LDAP and XSI logins are not exported: enter them again after an import, or set them in a provisioning file',
  ];
  return { fileName: `Rove${model}_${mac}.cfg`, text: serializeConfigFile(values, header) };
}

export type ImportOutcome = { ok: true; applied: Partial<BaseSettings> } | { ok: false; errors: string[] };

/** Checks the whole file against the base's parameters; applies it only when nothing is wrong. */
export function importConfig(base: BaseStation, text: string): ImportOutcome {
  const problems: Array<{ line: number; message: string }> = [];
  const parsed = parseConfigFile(text);
  problems.push(...parsed.errors);

  // parseConfigFile keeps the last value of each key; find every line that sets a key to report duplicates by line.
  const linesOf = new Map<string, number[]>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const key = /^%([A-Z0-9_]+)%\s*:/.exec(raw.trim())?.[1];
      if (key) linesOf.set(key, [...(linesOf.get(key) ?? []), i + 1]);
    });

  const update: Partial<Record<SettingKey, string>> = {};
  for (const [fileKey, value] of Object.entries(parsed.values)) {
    const lines = linesOf.get(fileKey) ?? [0];
    const line = lines[lines.length - 1]!;
    for (const again of lines.slice(1)) {
      problems.push({ line: again, message: `%${fileKey}% is set again (first on line ${lines[0]})` });
    }
    const def = BY_FILE_KEY.get(fileKey);
    if (!def) {
      problems.push({ line, message: `unknown setting %${fileKey}%: this base has no such parameter` });
      continue;
    }
    const checked = checkSettings({ [def.key]: value });
    if (!checked.ok) problems.push({ line, message: `%${fileKey}%: ${checked.errors[0]?.message ?? 'is not valid'}` });
    else update[def.key] = value;
  }
  if (problems.length === 0 && Object.keys(update).length === 0) {
    return { ok: false, errors: ['The file contains no settings (expected lines such as %FWU_SERVER%: "http://downloads.polycom.com/").'] };
  }
  if (problems.length > 0) {
    return { ok: false, errors: problems.sort((a, b) => a.line - b.line).map((p) => `Line ${p.line}: ${p.message}`) };
  }
  const saved = base.updateSettings(update);
  return saved.ok ? { ok: true, applied: saved.value } : { ok: false, errors: saved.errors.map((e) => e.message) };
}
