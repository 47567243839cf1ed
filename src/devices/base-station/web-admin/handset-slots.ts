/**
 * How many handset slots the Specific Handsets page lists.
 *
 * 30 per base: 8x8's Rove B4 guide says "each base station supports up to 30 handsets" (and RTX's B4 manual "about
 * 30"); the same number for the B2 is a modelling choice (docs/web-admin.md). Belongs with the base model once the
 * handset slice defines subscriptions.
 */
import type { BaseModel } from '../base-flash.ts';

export const HANDSET_SLOTS: Readonly<Record<BaseModel, number>> = { B2: 30, B4: 30 };
