import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceEvent, deviceMachine, nextDeviceSnapshot, type TeamsDevice } from '../../../../src/cloud/teams/devices/device-machine.ts';
import { DEVICE_KIND } from '../../../../src/cloud/teams/devices/device-records.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { HOUR, openTestLab } from '../../../support/lab.ts';
import { deviceParts } from './device-parts.ts';

const HW = '000087654321';

/**
 * The gateway keeps the machine snapshot a device record was made from and starts the next event from it, instead of
 * resolving the record again. A lab that re-reads every record from the lab file after each step (so every event starts
 * from a resolved snapshot) must end up with the very same devices, history trimming included.
 */
describe('Teams gateway: kept device snapshots', () => {
  const labs: Lab[] = [];
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.close();
  });

  const script = (lab: Lab, step: () => void): void => {
    lab.teams.addDevices([{ macAddress: HW, location: 'Shop floor' }], 'api');
    step();
    lab.teams.generateVerificationCode(HW);
    step();
    lab.teams.generateVerificationCode(HW);
    step();
    const { code } = lab.teams.generateVerificationCode(HW);
    step();
    lab.teams.enroll(HW, '000000', 'EMEA');
    step();
    lab.teams.enroll(HW, code, 'EMEA');
    step();
    for (let i = 0; i < 4; i++) {
      lab.teams.deviceSeen(HW, 'EMEA', { language: 'de', bulkSignInTag: null, baseMac: i % 2 ? '0004F2A00001' : '0004F2A00002' });
      step();
      lab.clock.advance(HOUR);
    }
    lab.teams.deviceSeen(HW, 'NOAM');
    step();
    const pairing = lab.teams.requestPairingCode(HW, 'device', 'EMEA');
    step();
    lab.teams.signIn(pairing.code, 'Adele.Vance@contoso.com');
    step();
    lab.teams.handleProvisioningRequest(HW, 'EMEA', 'fr', undefined, '0004F2A00001');
    step();
    lab.teams.setLocation(HW, 'Stock room');
    step();
    lab.teams.setDoNotDisturb(HW, true);
    step();
    lab.teams.signOut(HW, 'device');
    step();
    lab.teams.deviceSeen(HW, 'EMEA', { baseMac: '0004F2A00001' });
    step();
  };

  it('give the same records as snapshots resolved from the lab file, with a short history', async () => {
    const options = { teamsProfile: { historySize: 3 } };
    const kept = await openTestLab(options);
    const reread = await openTestLab(options);
    labs.push(kept, reread);
    const trace = (lab: Lab) => {
      const seen: unknown[] = [];
      script(lab, () => seen.push(lab.teams.device(HW)));
      return seen;
    };
    const a = trace(kept);
    const b = (() => {
      const seen: unknown[] = [];
      script(reread, () => {
        reread.teams.reload();
        seen.push(reread.teams.device(HW));
      });
      return seen;
    })();
    // Codes are random in each lab; everything else must match.
    const strip = (views: unknown[]) => JSON.parse(JSON.stringify(views, (k, v) => (k === 'code' || k === 'verificationCode' || k === 'pairing' || k === 'spentCodes' || k === 'expiredPairing' ? undefined : v)));
    expect(strip(a)).toEqual(strip(b));
    expect(kept.teams.device(HW)?.history).toHaveLength(3);
    expect(kept.teams.device(HW)?.state).toBe('signedOut');
  });
});

describe('DeviceRecords on their own', () => {
  const HW2 = '000011112222';

  it('change a record only through the machine: a refused event changes nothing and reports false', () => {
    const parts = deviceParts();
    parts.inventory.addDevices([{ macAddress: HW2 }], 'api');
    const before = parts.records.get(HW2);
    expect(parts.records.apply(HW2, { type: 'SIGN_OUT', at: parts.clock.now(), by: 'device' })).toBe(false);
    expect(parts.records.get(HW2)).toBe(before);
    expect(parts.recordChanges).toEqual([]);
    expect(parts.records.apply(HW2, { type: 'SET_LOCATION', at: parts.clock.now(), location: 'Dock' })).toBe(true);
    expect(parts.recordChanges.map((r) => r.location)).toEqual(['Dock']);
    expect(parts.store.list<{ location: string }>(DEVICE_KIND).map((d) => d.location)).toEqual(['Dock']);
    parts.dispose();
  });

  it('announce each change to every listener until it unsubscribes', () => {
    const parts = deviceParts();
    const seen: string[] = [];
    const off = parts.records.onDeviceChange((c) => seen.push(`a:${c.kind}`));
    parts.records.onDeviceChange((c) => seen.push(`b:${c.kind}`));
    parts.inventory.addDevices([{ macAddress: HW2 }], 'api');
    off();
    parts.enrollment.generateVerificationCode(HW2);
    expect(seen).toEqual(['a:provisioned', 'b:provisioned', 'b:code-generated']);
    parts.dispose();
  });

  it('let a listener that throws reach the caller, after the record is saved (as the gateway always did)', () => {
    const parts = deviceParts();
    const later: string[] = [];
    parts.records.onDeviceChange(() => {
      throw new Error('listener failed');
    });
    parts.records.onDeviceChange((c) => later.push(c.kind));
    expect(() => parts.inventory.addDevices([{ macAddress: HW2 }], 'api')).toThrow('listener failed');
    expect(later).toEqual([]);
    expect(parts.records.get(HW2)?.state).toBe('provisioned');
    parts.dispose();
  });

  it('record a SEEN exactly as the machine would, in every state (same fields, same key order), and refuse it once offboarded', () => {
    const parts = deviceParts();
    const { clock, records, inventory, enrollment, signIns } = parts;
    /** What the machine itself makes of `event` from the stored record (resolved afresh, as after a reload). */
    const byMachine = (record: TeamsDevice, event: DeviceEvent): TeamsDevice | undefined => {
      const { state, ...context } = record;
      const before = deviceMachine.resolveState({ value: state, context });
      const next = nextDeviceSnapshot(before, event);
      return next === before ? undefined : { ...next.context, state: next.value as TeamsDevice['state'] };
    };
    const events: DeviceEvent[] = [
      { type: 'SEEN', at: 0, region: 'EMEA' },
      { type: 'SEEN', at: 0, region: 'EMEA', language: 'de', bulkSignInTag: 'a1b2', baseMac: '0004F2A00001' },
      { type: 'SEEN', at: 0, region: 'EMEA', bulkSignInTag: null, siteId: 'site-1', baseMac: '0004F2A00002' },
      { type: 'SEEN', at: 0, region: 'EMEA', baseMac: '0004F2A00001' },
    ];
    const check = (states: string[]) => {
      const record = records.get(HW2)!;
      states.push(record.state);
      for (const e of events) {
        clock.advance(60_000);
        const event = { ...e, at: clock.now() };
        const expected = byMachine(records.get(HW2)!, event);
        expect(records.apply(HW2, event)).toBe(expected !== undefined);
        if (expected) expect(JSON.stringify(records.get(HW2))).toBe(JSON.stringify(expected));
      }
    };
    const states: string[] = [];
    inventory.addDevices([{ macAddress: HW2 }], 'api');
    check(states);
    enrollment.enroll(HW2, enrollment.generateVerificationCode(HW2).code, 'EMEA');
    check(states);
    const signedIn = signIns.signIn(signIns.requestPairingCode(HW2, 'device').code, 'adele.vance@contoso.com');
    expect(signedIn.ok).toBe(true);
    check(states);
    signIns.signOut(HW2, 'device');
    check(states);
    expect(records.apply(HW2, { type: 'OFFBOARD', at: clock.now(), reason: 'test' })).toBe(true);
    const offboarded = records.get(HW2);
    check(states);
    expect(records.get(HW2)).toBe(offboarded);
    expect(states).toEqual(['provisioned', 'enrolled', 'signedIn', 'signedOut', 'offboarded']);
    parts.dispose();
  });
});
