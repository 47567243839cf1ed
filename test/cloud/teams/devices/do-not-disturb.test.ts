import { describe, expect, it } from 'vitest';
import { DoNotDisturb } from '../../../../src/cloud/teams/devices/do-not-disturb.ts';
import { deviceParts } from './device-parts.ts';

const HW = '000087654321';

/** `*30*` / `*31*` on a signed-in device (devices/do-not-disturb.ts). */
describe('Do not disturb', () => {
  it('is refused (null) for a device that is not signed in', () => {
    const parts = deviceParts();
    expect(parts.dnd.set(HW, true)).toBeNull();
    parts.inventory.addDevices([{ macAddress: HW }], 'api');
    expect(parts.dnd.set(HW, true)).toBeNull();
    expect(parts.dnd.isOn(HW)).toBe(false);
    parts.dispose();
  });

  it('turns on and off on a signed-in device, noted in its history and announced', () => {
    const parts = deviceParts();
    parts.signedIn(HW);
    const kinds: string[] = [];
    parts.records.onDeviceChange((c) => kinds.push(c.kind));
    expect(parts.dnd.set(HW, true)).toBe(true);
    expect(parts.dnd.isOn('00-00-87-65-43-21')).toBe(true);
    expect(parts.dnd.set(HW, false)).toBe(false);
    expect(parts.dnd.isOn(HW)).toBe(false);
    expect(kinds).toEqual(['do-not-disturb', 'do-not-disturb']);
    expect(parts.records.get(HW)?.history[0]?.text).toBe('Do not disturb off (*31* on the device)');
    parts.dispose();
  });

  it('is kept in the store, and is in effect only while the device is signed in', () => {
    const parts = deviceParts();
    parts.signedIn(HW);
    parts.dnd.set(HW, true);
    expect(new DoNotDisturb({ store: parts.store, records: parts.records, clock: parts.clock }).isOn(HW)).toBe(true);
    parts.signIns.signOut(HW, 'device');
    expect(parts.dnd.isOn(HW)).toBe(false);
    parts.dispose();
  });
});
