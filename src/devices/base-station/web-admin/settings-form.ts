/**
 * Saving a settings page (Auto provisioning, WAN settings, the Access Code): every field of the page is checked with
 * the parameters table's own check, each error is kept for display next to its field, and nothing is saved unless
 * every value is valid. `base.updateSettings` checks the whole set again and is the one that saves.
 */
import type { BaseStation } from '../base-station.ts';
import { type BaseSettings, checkSettings, type ParameterSection, type SettingKey } from '../parameters.ts';
import { readForm } from './form-input.ts';

/** What a settings form shows: values in the inputs, errors beside them, form-level problems on top. */
export interface SettingsFormState {
  values: Record<SettingKey, string>;
  errors: Partial<Record<SettingKey, string>>;
  problems: string[];
}

export type SaveOutcome = { ok: true; saved: Partial<BaseSettings> } | { ok: false; state: SettingsFormState };

export function keysOf(sections: readonly ParameterSection[]): SettingKey[] {
  return sections.flatMap((s) => s.params.map((p) => p.key));
}

/** The form as saved in the base's flash. */
export function savedFormState(base: BaseStation): SettingsFormState {
  return { values: { ...base.flash.settings }, errors: {}, problems: [] };
}

export function saveSettingsForm(base: BaseStation, sections: readonly ParameterSection[], body: unknown): SaveOutcome {
  const keys = keysOf(sections);
  const read = readForm(body, { required: keys });
  const sent = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: Record<SettingKey, string> = { ...base.flash.settings };
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const key of keys) {
    if (typeof sent[key] !== 'string') continue;
    values[key] = read.values[key];
    const checked = checkSettings({ [key]: read.values[key] });
    if (!checked.ok) errors[key] = checked.errors[0]?.message ?? 'is not valid';
  }
  const problems = [...read.problems];
  if (problems.length === 0 && Object.keys(errors).length === 0) {
    const update = Object.fromEntries(keys.map((k) => [k, read.values[k]]));
    const saved = base.updateSettings(update);
    if (saved.ok) return { ok: true, saved: saved.value };
    problems.push(...saved.errors.map((e) => e.message));
  }
  return { ok: false, state: { values, errors, problems } };
}
