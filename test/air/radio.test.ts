import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';

describe('Radio: handsets lose and regain service with their base (seed 000 "handsets will lose their connectivity")', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  async function registeredLab() {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [first, second] = lab.handsets.values();
    await waitForBootedLab(lab, base, first!, second!);
    await registerHandset(lab, base, first!, 1);
    await registerHandset(lab, base, second!, 2);
    return { base, handsets: [first!, second!] };
  }

  it('a base reboot sends its handsets to Searching, and they come back into service when it is up again', async () => {
    const { base, handsets } = await registeredLab();
    expect(handsets.map((h) => h.state)).toEqual(['in-service', 'in-service']);

    base.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    for (const handset of handsets) {
      expect(handset.state).toBe('searching');
      expect(screen(handset)).toContain('Searching...');
      expect(handset.view().leds.status).toBe('red-blinking');
    }

    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await lab.clock.advanceUntil(() => handsets.every((h) => h.state === 'in-service'), MINUTE);
    for (const handset of handsets) {
      expect(screen(handset)[0]).toBe('▂▄▆█');
      expect(handset.view().leds.status).toBe('off');
    }
    expect(base.subscriptions.map((s) => s.ipei)).toEqual(handsets.map((h) => h.ipei));
  });

  it('a power cut of the base does the same; the handsets wait as long as it takes', async () => {
    const { base, handsets } = await registeredLab();
    base.setPower(false);
    await lab.clock.advance(60 * MINUTE);
    expect(handsets.map((h) => h.state)).toEqual(['searching', 'searching']);

    base.setPower(true);
    await lab.clock.advanceUntil(() => handsets.every((h) => h.state === 'in-service'), 10 * MINUTE);
    expect(base.state).toBe('running');
  });

  it('carried out of range, a handset shows "Out of range" with a warning tone, and is back in service in range', async () => {
    const { base, handsets } = await registeredLab();
    const [walker, desk] = handsets;

    walker!.setOutOfRange(true);
    expect(walker!.state).toBe('out-of-range');
    expect(screen(walker!)).toContain('Out of range');
    expect(walker!.view().tones.at(-1)?.tone).toBe('out-of-range');
    expect(desk!.state).toBe('in-service');

    walker!.setOutOfRange(false);
    await lab.clock.advanceUntil(() => walker!.state === 'in-service', MINUTE);
    expect(walker!.view().baseMac).toBe(base.mac);
  });

  it('handsets hear only the bases of their own site', async () => {
    const { base, handsets } = await registeredLab();
    const [traveller] = handsets;

    traveller!.moveTo('warehouse');
    expect(traveller!.state).toBe('out-of-range');

    lab.placeBase(base.mac, 'warehouse');
    await lab.clock.advanceUntil(() => traveller!.state === 'in-service', MINUTE);
    expect(handsets[1]!.state).toBe('out-of-range');
    expect(lab.siteOfBase(base.mac)).toBe('warehouse');
    expect(() => lab.placeBase('0004F2FFFFFF', 'office')).toThrow(/no base with MAC/);
  });

  it('with showOutOfRange off, an unreachable base shows as Searching', async () => {
    lab = await openTestLab({ handsetProfileOverrides: { showOutOfRange: false } });
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);

    handset!.setOutOfRange(true);
    expect(handset!.state).toBe('searching');
    expect(screen(handset!)).toContain('Searching...');
  });

  it('the handset powers off and on with a long press of the red key, and finds its base again', async () => {
    const { handsets } = await registeredLab();
    const [handset] = handsets;

    handset!.press('{red-long}');
    expect(screen(handset!)).toContain('Switching off');
    await lab.clock.advanceUntil(() => handset!.state === 'off', MINUTE);
    expect(handset!.view().display.every((line) => line.trim() === '')).toBe(true);

    handset!.press('{menu}{ok}1');
    expect(handset!.state).toBe('off');

    handset!.press('{red-long}');
    expect(handset!.state).toBe('starting');
    expect(screen(handset!)).toContain('Rove 30');
    await lab.clock.advanceUntil(() => handset!.state === 'in-service', MINUTE);
  });
});
