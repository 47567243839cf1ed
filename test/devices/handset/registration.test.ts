import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { entryLabelOf, registerOnHandset, screen, select, waitForBootedLab } from './steps.ts';

describe('DECT registration as the guide does it (seed 000 "Register the handset")', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('the technician opens slot 1 on the base, then registers a Rove 30 with 0000 through the handset menus', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);

    // Out of the box the handset is on but not registered.
    expect(handset!.view()).toMatchObject({ model: 'Rove 30', firmware: '8.0.0.0402', state: 'unregistered', baseMac: null });
    expect(screen(handset!)).toContain('Unregistered');

    // Web admin: Specific Handsets → slot 1 → Register.
    base.openRegistration(1);
    expect(base.status().registration?.slot).toBe(1);

    // Handset: Menu → Settings → Connectivity → Register.
    handset!.press('{menu}');
    expect(screen(handset!)).toContain('> Contacts');
    select(handset!, 'Settings');
    select(handset!, 'Connectivity');
    select(handset!, 'Register');
    expect(screen(handset!)).toContain('Searching for base');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'choosing-base', MINUTE);

    // The base in registration mode is listed; the technician selects it and enters the access code.
    expect(screen(handset!)).toContain(`> ${entryLabelOf(base)}`);
    handset!.press('{ok}');
    expect(screen(handset!)).toContain('Access code:');
    handset!.press('0000');
    expect(screen(handset!)).toContain('****');
    handset!.press('{ok}');
    expect(screen(handset!)).toContain('Registering...');

    await lab.clock.advanceUntil(() => handset!.view().screen === 'notice', MINUTE);
    expect(screen(handset!)).toContain('Registered');
    expect(handset!.view().tones.map((t) => t.tone)).toContain('confirmation');

    // The base keeps the subscription in slot 1 and closes the window.
    expect(base.subscriptions).toEqual([{ slot: 1, ipei: handset!.ipei, model: 'Rove 30', firmware: '8.0.0.0402' }]);
    expect(base.status().registration).toBeNull();

    // The handset is in service: idle screen with its name, the time, and the signal.
    await lab.clock.advanceUntil(() => handset!.view().screen === 'idle', MINUTE);
    const view = handset!.view();
    expect(view).toMatchObject({ state: 'in-service', baseMac: base.mac, slot: 1 });
    const lines = screen(handset!);
    expect(lines[0]).toBe('▂▄▆█');
    expect(lines[1]).toBe('Handset 1');
    expect(lines[2]).toMatch(/^\d{1,2}:\d{2} (AM|PM)$/);
    expect(lines[3]).toMatch(/^Mon 11\/02\/2026$/);
    expect(lines[5]).toBe('Menu');
  });

  it('the same flow, key by key, as a console would send it', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const handset = [...lab.handsets.values()][2]!;
    await waitForBootedLab(lab, base, handset);
    base.openRegistration(3);

    handset.press('{menu}{down}{down}{ok}{down}{ok}{ok}');
    await lab.clock.advanceUntil(() => handset.view().screen === 'choosing-base', MINUTE);
    handset.press('{ok}0000{ok}');
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);

    expect(handset.view()).toMatchObject({ model: 'Rove 40', baseMac: base.mac, slot: 3 });
    expect(base.subscriptions.map((s) => [s.slot, s.ipei])).toEqual([[3, handset.ipei]]);
  });

  it('registers with a changed access code once the technician uses the new one', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    expect(base.updateSettings({ accessCode: '4711' }).ok).toBe(true);

    base.openRegistration(1);
    await registerOnHandset(lab, handset!, entryLabelOf(base), '4711');
    expect(screen(handset!)).toContain('Registered');
    expect(base.subscriptions.map((s) => s.ipei)).toEqual([handset!.ipei]);
  });

  it('opened without a slot, the base takes the first free slot', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [first, second] = lab.handsets.values();
    await waitForBootedLab(lab, base, first!, second!);

    base.openRegistration();
    await registerOnHandset(lab, first!, entryLabelOf(base));
    base.openRegistration();
    await registerOnHandset(lab, second!, entryLabelOf(base));

    expect(base.subscriptions.map((s) => s.slot)).toEqual([1, 2]);
    expect(() => base.openRegistration(2)).toThrow(/slot 2 holds handset/);
  });

  it('a window opened or closed while the handset is in other menus is what its Register scan finds', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);

    // Only the Register menu is told at once about windows; the handset catches up before a key acts.
    handset!.press('{menu}');
    select(handset!, 'Settings');
    base.openRegistration(1);
    select(handset!, 'Connectivity');
    select(handset!, 'Register');
    await lab.clock.advanceUntil(() => handset!.view().screen !== 'scanning', MINUTE);
    expect(handset!.view().screen).toBe('choosing-base');
    expect(screen(handset!)).toContain(`> ${entryLabelOf(base)}`);

    // Back to Connectivity; the window times out meanwhile: the next scan finds nothing.
    handset!.press('{soft2}');
    await lab.clock.advanceUntil(() => base.status().registration === null, 10 * MINUTE);
    expect(base.status().registration).toBeNull();
    expect(handset!.view().screen).toBe('menu');
    select(handset!, 'Register');
    await lab.clock.advanceUntil(() => handset!.view().screen !== 'scanning', MINUTE);
    expect(screen(handset!).join(' ')).toMatch(/No base/i);
  });
});
