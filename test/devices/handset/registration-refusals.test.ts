import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { entryLabelOf, openMenuPath, registerHandset, registerOnHandset, screen, select, waitForBootedLab } from './steps.ts';

describe('DECT registration: what the technician sees when it does not work', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('a wrong access code is refused, the window stays open, and 0000 then works', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    base.openRegistration(1);

    await registerOnHandset(lab, handset!, entryLabelOf(base), '1234');
    expect(screen(handset!)).toEqual(expect.arrayContaining(['Registration failed', 'Wrong access code']));
    expect(handset!.view().tones.at(-1)?.tone).toBe('error');
    expect(base.subscriptions).toEqual([]);
    expect(base.status().registration?.slot).toBe(1);

    // The notice goes back to the Connectivity menu, on Register: the technician tries again with the right code.
    await lab.clock.advanceUntil(() => handset!.view().screen === 'menu', MINUTE);
    expect(screen(handset!)[0]).toBe('Connectivity');
    handset!.press('{ok}');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'choosing-base', MINUTE);
    handset!.press('{ok}0000{ok}');
    await lab.clock.advanceUntil(() => handset!.state === 'in-service', MINUTE);
    expect(base.subscriptions.map((s) => s.ipei)).toEqual([handset!.ipei]);
  });

  it('without Register on the base, the handset finds no base in registration mode', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);

    await registerOnHandset(lab, handset!, entryLabelOf(base));
    expect(screen(handset!)).toEqual(expect.arrayContaining(['Registration failed', 'No base found']));
    expect(handset!.view().state).toBe('unregistered');
  });

  it('when the 5-minute window closes while the code is typed, the base refuses', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    base.openRegistration(1);

    openMenuPath(handset!, 'Settings', 'Connectivity', 'Register');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'choosing-base', MINUTE);
    select(handset!, entryLabelOf(base));
    handset!.press('00');
    await lab.clock.advanceUntil(() => base.status().registration === null, 10 * MINUTE);
    handset!.press('00{ok}');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'notice', MINUTE);

    expect(screen(handset!)).toEqual(expect.arrayContaining(['Registration failed', 'Registration closed']));
    expect(base.subscriptions).toEqual([]);
  });

  it('a full base refuses the next handset with "Base full"', async () => {
    lab = await openTestLab({ profileOverrides: { handsetSlots: 2 } });
    const base = lab.getBase('0004F2A00001')!;
    const [first, second, third] = lab.handsets.values();
    await waitForBootedLab(lab, base, first!, second!, third!);
    await registerHandset(lab, base, first!, 1);
    await registerHandset(lab, base, second!, 2);

    // Register without picking a slot (the only way to open a full base).
    base.openRegistration();
    await registerOnHandset(lab, third!, entryLabelOf(base));
    expect(screen(third!)).toEqual(expect.arrayContaining(['Registration failed', 'Base full']));
    expect(base.subscriptions.map((s) => s.ipei)).toEqual([first!.ipei, second!.ipei]);
    expect(() => base.openRegistration(3)).toThrow(/slot must be a whole number from 1 to 2/);
  });

  it('a handset registered to one base is told to deregister first before registering to another', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const other = lab.addBase({ model: 'B2' });
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await lab.clock.advanceUntil(() => other.state === 'running', 10 * MINUTE);
    await registerHandset(lab, base, handset!, 1);

    other.openRegistration(1);
    await registerOnHandset(lab, handset!, entryLabelOf(other));
    expect(screen(handset!)).toEqual(expect.arrayContaining(['Already registered', 'Deregister first']));
    expect(other.subscriptions).toEqual([]);
    expect(handset!.view()).toMatchObject({ baseMac: base.mac, state: 'in-service' });
  });
});

describe('Deregistration', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('from the handset: Settings → Connectivity → Registration → Deregister, confirmed with Yes', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);

    openMenuPath(handset!, 'Settings', 'Connectivity', 'Registration', 'Deregister');
    expect(screen(handset!)).toContain('Deregister handset?');
    expect(screen(handset!)[5]).toMatch(/^Yes +No$/);
    handset!.press('{soft1}');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'notice', MINUTE);

    expect(screen(handset!)).toContain('Deregistered');
    expect(base.subscriptions).toEqual([]);
    await lab.clock.advanceUntil(() => handset!.view().screen === 'idle', MINUTE);
    expect(handset!.view()).toMatchObject({ state: 'unregistered', baseMac: null });
    expect(screen(handset!)).toContain('Unregistered');
  });

  it('from the web admin: the base forgets the handset, which shows Unregistered', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);

    base.deregisterHandset(handset!.ipei);
    await lab.clock.advanceUntil(() => handset!.state === 'unregistered', MINUTE);
    expect(base.subscriptions).toEqual([]);
    expect(screen(handset!)).toContain('Unregistered');
    expect(() => base.deregisterHandset(handset!.ipei)).toThrow(/no handset with IPEI/);
  });

  it('out of range, the handset forgets itself and the base keeps a stale slot until the web admin clears it', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);
    handset!.setOutOfRange(true);

    openMenuPath(handset!, 'Settings', 'Connectivity', 'Registration', 'Deregister');
    handset!.press('{ok}');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'idle', MINUTE);

    expect(handset!.view().state).toBe('unregistered');
    expect(base.subscriptions.map((s) => s.ipei)).toEqual([handset!.ipei]);
    expect(lab.dectSummary(base.mac)).toEqual([
      expect.objectContaining({ slot: 1, ipei: handset!.ipei, state: 'not present' }),
    ]);
  });

  it('Deregister on an unregistered handset says so', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    openMenuPath(handset!, 'Settings', 'Connectivity', 'Registration', 'Deregister');
    expect(screen(handset!)).toContain('Unregistered');
    expect(handset!.view().tones.at(-1)?.tone).toBe('error');
  });
});
