/**
 * What the lab keeps about a handset: its hardware (model, IPEI), its own memory (firmware, language, name, which base
 * it is subscribed to) and where it is (site, out-of-range flag). One document of kind `handset` per IPEI in the lab
 * file; the handset machine's context holds the live copy, as the base machine does with its flash.
 */
import type { HandsetModel } from '../base-station/base-flash.ts';

export type { HandsetModel } from '../base-station/base-flash.ts';
export const HANDSET_MODELS: readonly HandsetModel[] = ['Rove 30', 'Rove 40'];

/** Display languages: at least the idle screen and the menus the guide uses are translated for each. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The site every device is on unless placed elsewhere (radio model, dect-radio.ts). */
export const DEFAULT_SITE = 'default';

export interface HandsetRecord {
  /** 10 hex digits, upper case (ipei.ts). */
  ipei: string;
  model: HandsetModel;
  /** Running firmware, dotted (e.g. 8.0.0.0402). */
  firmware: string;
  /** Power state (a restart of the simulator powers it back on if true). */
  powered: boolean;
  language: Language;
  /** Handset name shown on the idle screen; null: `Handset <slot>` when registered, else the model. */
  name: string | null;
  /** Line name or number shown on the idle screen once a line is assigned (SIP/Teams slices); null: none yet. */
  line: string | null;
  /** Radio placement: the handset hears the running bases of its site. */
  site: string;
  /** Carried out of range by hand: hears no base at all. */
  outOfRange: boolean;
  /** The base this handset is subscribed to, as the handset remembers it. */
  subscription: { baseMac: string; slot: number } | null;
}

/** `Rove 30` → `Rove30`: the model as firmware file names and image headers write it. */
export function imageModel(model: HandsetModel): 'Rove30' | 'Rove40' {
  return model === 'Rove 30' ? 'Rove30' : 'Rove40';
}

/** What a brand-new handset out of the box looks like. */
export function newHandsetRecord(fields: Pick<HandsetRecord, 'ipei' | 'model' | 'firmware'> & Partial<HandsetRecord>): HandsetRecord {
  return {
    powered: true,
    language: 'en',
    name: null,
    line: null,
    site: DEFAULT_SITE,
    outOfRange: false,
    subscription: null,
    ...fields,
  };
}
