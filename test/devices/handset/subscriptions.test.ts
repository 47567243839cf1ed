import { describe, expect, it } from 'vitest';
import { factoryFlash } from '../../../src/devices/base-station/base-flash.ts';
import {
  decideSubscription,
  type SubscriptionRequest,
  withHandsetReport,
  withoutTransfers,
  withSubscription,
} from '../../../src/devices/base-station/handset-subscriptions.ts';

const request: SubscriptionRequest = { ipei: '0328D12345', model: 'Rove 30', firmware: '8.0.0.0402', accessCode: '0000' };
const window = { slot: 4, until: 0 };

describe("The base's subscription rules (handset-subscriptions.ts)", () => {
  it('accepts the right code in the slot the window was opened for', () => {
    expect(decideSubscription(factoryFlash('0004F2A00001', 'B4'), window, request, 30)).toEqual({ ok: true, slot: 4, renewal: false });
  });

  it('refuses with a closed window, a wrong code, a full base or a slot taken meanwhile', () => {
    const flash = factoryFlash('0004F2A00001', 'B4');
    expect(decideSubscription(flash, null, request, 30)).toMatchObject({ ok: false, reason: 'window-closed' });
    expect(decideSubscription(flash, window, { ...request, accessCode: '1234' }, 30)).toMatchObject({ ok: false, reason: 'wrong-code' });
    const one = withSubscription(flash, { ...request, ipei: '0328D00001' }, 1);
    expect(decideSubscription(one, { slot: 0, until: 0 }, request, 1)).toMatchObject({ ok: false, reason: 'base-full' });
    const four = withSubscription(flash, { ...request, ipei: '0328D00004' }, 4);
    expect(decideSubscription(four, window, request, 30)).toMatchObject({ ok: false, reason: 'slot-taken' });
  });

  it('a handset the base already knows keeps its slot when it registers again', () => {
    const known = withSubscription(factoryFlash('0004F2A00001', 'B4'), request, 7);
    expect(decideSubscription(known, window, request, 30)).toEqual({ ok: true, slot: 7, renewal: true });
  });

  it('records what the handset reports and forgets transfers when the base goes down', () => {
    const flash = withSubscription(factoryFlash('0004F2A00001', 'B4'), request, 1);
    const updating = withHandsetReport(flash, { ipei: request.ipei, firmwareUpdate: { to: '8.0.3.0009', percent: 40 } });
    expect(updating.handsets[0]?.firmwareUpdate).toEqual({ to: '8.0.3.0009', percent: 40 });
    expect(withHandsetReport(updating, { ipei: request.ipei, firmwareUpdate: { to: '8.0.3.0009', percent: 40 } })).toBe(updating);
    expect(withoutTransfers(updating).handsets[0]).toEqual({ slot: 1, ipei: request.ipei, model: 'Rove 30', firmware: '8.0.0.0402' });
    expect(withoutTransfers(flash)).toBe(flash);
  });
});
