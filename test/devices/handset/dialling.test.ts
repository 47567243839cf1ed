import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { registerHandset, screen, waitForBootedLab } from './steps.ts';

describe('Dialling', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('digits build the number, Clear takes one back, green calls over the line, red ends it', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);
    await lab.clock.advanceUntil(() => handset!.view().line?.state === 'OK', MINUTE);

    handset!.press('9998');
    expect(screen(handset!)).toContain('9998');
    handset!.press('{soft2}9{green}');
    expect(handset!.view()).toMatchObject({ screen: 'call', leds: { status: 'green' } });
    expect(screen(handset!)).toEqual(expect.arrayContaining(['9999', 'Calling...']));
    await lab.clock.advanceUntil(() => handset!.view().call?.state === 'connected', MINUTE);
    expect(screen(handset!)).toContain('Connected');

    handset!.press('{red}');
    await lab.clock.advanceUntil(() => screen(handset!).includes('Call ended'), MINUTE);
    await lab.clock.advanceUntil(() => handset!.view().screen === 'idle', MINUTE);
    expect(handset!.view().leds.status).toBe('off');
  });

  it('without service, green says "No service" with an error tone', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);

    handset!.press('123{green}');
    expect(screen(handset!)).toContain('No service');
    expect(handset!.view().tones.at(-1)?.tone).toBe('error');
  });

  it('a call ends when the base goes away', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    await registerHandset(lab, base, handset!, 1);
    handset!.press('100{green}');

    base.setPower(false);
    expect(screen(handset!)).toContain('Call ended');
  });
});
