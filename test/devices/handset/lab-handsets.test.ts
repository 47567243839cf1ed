import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/kernel/virtual-clock.ts';
import { isIpei } from '../../../src/devices/handset/ipei.ts';
import { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { registerHandset, screen, waitForBootedLab } from './steps.ts';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);

describe('Handsets in the lab', () => {
  let lab: Lab | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('the default lab has two Rove 30 and two Rove 40, powered on, not registered, on 8.0.0.0402', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const handsets = [...lab.handsets.values()];
    await waitForBootedLab(lab, base, ...handsets);

    expect(handsets.map((h) => h.view()).map(({ model, firmware, state, baseMac }) => ({ model, firmware, state, baseMac }))).toEqual([
      { model: 'Rove 30', firmware: '8.0.0.0402', state: 'unregistered', baseMac: null },
      { model: 'Rove 30', firmware: '8.0.0.0402', state: 'unregistered', baseMac: null },
      { model: 'Rove 40', firmware: '8.0.0.0402', state: 'unregistered', baseMac: null },
      { model: 'Rove 40', firmware: '8.0.0.0402', state: 'unregistered', baseMac: null },
    ]);
    expect(handsets.every((h) => isIpei(h.ipei))).toBe(true);
    expect(new Set(handsets.map((h) => h.ipei)).size).toBe(4);
    expect(base.subscriptions).toEqual([]);
  });

  it('IPEIs come from the lab seed: the same seed gives the same handsets', async () => {
    const first = await openTestLab({ ipeiSeed: 7 });
    const ipeis = [...first.handsets.keys()];
    await first.close();
    lab = await openTestLab({ ipeiSeed: 7 });
    expect([...lab.handsets.keys()]).toEqual(ipeis);
  });

  it('addHandset refuses what a handset cannot be, with a code', async () => {
    lab = await openTestLab({ seedDefaultLab: false });
    const added = lab.addHandset({ model: 'Rove 40', ipei: '0x0328D-12345', site: 'warehouse' });
    expect(added.view()).toMatchObject({ ipei: '0328D12345', ipeiDecimal: '12941 0074565 2', model: 'Rove 40', site: 'warehouse' });
    expect(lab.getHandset('12941 0074565 2')).toBe(added);

    const refused = (input: Parameters<Lab['addHandset']>[0]) => {
      try {
        lab!.addHandset(input);
      } catch (err) {
        return (err as { code: string }).code;
      }
      return 'accepted';
    };
    expect(refused({ model: 'Rove 20' as 'Rove 30' })).toBe('HANDSET_MODEL_INVALID');
    expect(refused({ model: 'Rove 30', ipei: '0328D1234' })).toBe('IPEI_INVALID');
    expect(refused({ model: 'Rove 30', ipei: '0328D12345' })).toBe('HANDSET_EXISTS');
    expect(refused({ model: 'Rove 30', firmware: '8.0.3' })).toBe('FIRMWARE_INVALID');
    expect(refused({ model: 'Rove 30', site: '  ' })).toBe('SITE_INVALID');
    expect(refused({ model: 'Rove 30', language: 'it' as 'en' })).toBe('LANGUAGE_INVALID');
    expect(() => added.press('{ok}{hold}')).toThrow(/unknown key \{hold\}/);
  });

  it('a registration survives closing the lab and opening the same lab file again', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rove-handsets-'));
    const file = path.join(dir, 'lab.sqlite');
    const open = () => Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });

    lab = await open();
    const base = lab.getBase('0004F2A00001')!;
    const handset = [...lab.handsets.values()][1]!;
    await waitForBootedLab(lab, base, handset);
    await registerHandset(lab, base, handset, 5);
    handset.setLanguage('de');
    const ipei = handset.ipei;
    await lab.close();

    lab = await open();
    const again = lab.getHandset(ipei)!;
    const baseAgain = lab.getBase('0004F2A00001')!;
    expect(lab.handsets.size).toBe(4);
    expect(baseAgain.subscriptions).toEqual([{ slot: 5, ipei, model: 'Rove 30', firmware: '8.0.0.0402' }]);
    expect(again.view()).toMatchObject({ baseMac: baseAgain.mac, slot: 5, language: 'de' });

    // Both power up again; the handset searches for its base and is in service without registering again.
    await lab.clock.advanceUntil(() => again.state === 'searching', MINUTE);
    expect(screen(again)).toContain('Suche...');
    await lab.clock.advanceUntil(() => again.state === 'in-service', 10 * MINUTE);
    expect(screen(again)[1]).toBe('Mobilteil 5');
  });

  it('a handset switched off stays off across a restart', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rove-handsets-'));
    const file = path.join(dir, 'lab.sqlite');
    lab = await Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });
    const handset = [...lab.handsets.values()][0]!;
    await lab.clock.advanceUntil(() => handset.state === 'unregistered', MINUTE);
    handset.press('{red-long}');
    await lab.clock.advanceUntil(() => handset.state === 'off', MINUTE);
    await lab.close();

    lab = await Lab.open({ file, clock: new VirtualClock({ start: START, paused: true }) });
    await lab.clock.advance(5 * MINUTE);
    expect(lab.getHandset(handset.ipei)!.state).toBe('off');
  });

  it('consoles get screen updates and tones through onChange', async () => {
    lab = await openTestLab();
    const [handset] = lab.handsets.values();
    await lab.clock.advanceUntil(() => handset!.state === 'unregistered', MINUTE);
    const updates: string[] = [];
    const stop = handset!.onChange((u) => updates.push(u.type === 'tone' ? `tone:${u.tone}` : `view:${u.view.screen}`));
    handset!.press('{menu}');
    stop();
    handset!.press('{red}');
    expect(updates).toEqual(['tone:key-click', 'view:menu']);
  });
});
