/**
 * The embedded default lab a first start creates: what a technician finds before following the guide.
 * One Rove B4 at factory defaults, with firmware older than Teams needs (8.0.0.x; docs/fidelity.md).
 */
import { FACTORY_FIRMWARE } from '../base-station/base-flash.ts';
import type { AddBaseInput } from './lab.ts';

export const DEFAULT_LAB: { bases: AddBaseInput[] } = {
  bases: [{ mac: '0004F2A00001', model: 'B4', firmware: FACTORY_FIRMWARE, powered: true }],
};
