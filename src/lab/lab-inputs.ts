/**
 * What adding a base or a handset to a lab takes (`Lab.addBase`, `Lab.addHandset`), apart from the lab itself so the
 * default lab (default-lab.ts) can be written in these terms without importing the lab.
 */
import type { BaseModel } from '../devices/base-station/base-flash.ts';
import type { HandsetModel, Language } from '../devices/handset/handset-record.ts';

export interface AddBaseInput {
  mac?: string;
  model: BaseModel;
  firmware?: string;
  powered?: boolean;
  /** Radio placement (default `default`): handsets hear the running bases of their site. */
  site?: string;
}

export interface AddHandsetInput {
  model: HandsetModel;
  /** 10 hex digits (or the decimal label form); generated from the lab's IPEI seed when absent. */
  ipei?: string;
  /** Running firmware, dotted; default 8.0.0.0402. */
  firmware?: string;
  site?: string;
  powered?: boolean;
  language?: Language;
  name?: string;
}
