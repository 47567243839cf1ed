import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { GUIDE_FIRMWARE_SETTINGS, HOUR, MINUTE, openTestLab } from '../../support/lab.ts';
import { registerHandset, screen, waitForBootedLab } from './steps.ts';

const HANDSET_IMAGES = {
  firmwareServer: GUIDE_FIRMWARE_SETTINGS.firmwareServer,
  firmwarePath: GUIDE_FIRMWARE_SETTINGS.firmwarePath,
  rove30FwVersion: '8003',
  rove30FwBranch: '0009',
  rove40FwVersion: '8003',
  rove40FwBranch: '0009',
};

describe('Over-the-air handset firmware (seed 000: handsets need 8.0.3; [MS] handsets update over the air from the base)', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  async function registeredPair() {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const handsets = [...lab.handsets.values()];
    const rove30 = handsets.find((h) => h.model === 'Rove 30')!;
    const rove40 = handsets.find((h) => h.model === 'Rove 40')!;
    await waitForBootedLab(lab, base, rove30, rove40);
    await registerHandset(lab, base, rove30, 1);
    await registerHandset(lab, base, rove40, 2);
    return { base, rove30, rove40 };
  }

  it('the guide\'s handset images bring both models from 8.0.0.0402 to 8.0.3.0009, with progress on the handset and in DECT Summary', async () => {
    const { base, rove30, rove40 } = await registeredPair();
    expect(rove30.view()).toMatchObject({ firmware: '8.0.0.0402', firmwareMeetsTeamsMinimum: false });
    expect(lab.dectSummary(base.mac).map((h) => h.firmware)).toEqual(['8.0.0.0402', '8.0.0.0402']);

    expect(base.updateSettings(HANDSET_IMAGES).ok).toBe(true);

    // The base fetches the Rove30 image and sends it; the handset shows the percentage, the base records it.
    await lab.clock.advanceUntil(() => (rove30.view().firmwareUpdate?.percent ?? 0) >= 30, HOUR);
    const percent = rove30.view().firmwareUpdate!.percent;
    expect(screen(rove30)[0]).toBe(`▂▄▆█${' '.repeat(20 - 4 - `⇩${percent}%`.length)}⇩${percent}%`);
    expect(rove30.view().leds.status).toBe('orange-blinking');
    expect(base.subscriptions.find((s) => s.ipei === rove30.ipei)?.firmwareUpdate).toEqual({ to: '8.0.3.0009', percent });
    expect(lab.dectSummary(base.mac)[0]).toMatchObject({ firmwareUpdate: { to: '8.0.3.0009', percent } });

    // Complete: the handset installs, restarts with the new version and is back in service.
    await lab.clock.advanceUntil(() => rove30.state === 'installing-firmware', HOUR);
    expect(screen(rove30)).toEqual(expect.arrayContaining(['Firmware update', 'Do not switch off']));
    await lab.clock.advanceUntil(
      () => [rove30, rove40].every((h) => h.view().firmware === '8.0.3.0009' && h.state === 'in-service'),
      HOUR,
    );

    expect(rove30.view().firmwareMeetsTeamsMinimum).toBe(true);
    expect(lab.dectSummary(base.mac)).toEqual([
      expect.objectContaining({ slot: 1, model: 'Rove 30', firmware: '8.0.3.0009', firmwareUpdate: null, state: 'in-service' }),
      expect.objectContaining({ slot: 2, model: 'Rove 40', firmware: '8.0.3.0009', firmwareUpdate: null, state: 'in-service' }),
    ]);
    const requested = lab.internet.requestLog().filter((r) => r.url.endsWith('.fwu')).map((r) => [r.url, r.outcome]);
    expect(requested).toEqual(
      expect.arrayContaining([
        ['http://downloads.polycom.com/voice/dect-ip-phones/Rove/Rove30_v8003_b0009.fwu', 'HTTP 200'],
        ['http://downloads.polycom.com/voice/dect-ip-phones/Rove/Rove40_v8003_b0009.fwu', 'HTTP 200'],
      ]),
    );

    // Nothing more to do afterwards.
    await lab.clock.advance(2 * HOUR);
    expect(rove30.view().firmwareUpdate).toBeNull();
    expect(rove30.view().firmware).toBe('8.0.3.0009');
  });

  it('a wrong FirmwarePath leaves the handset on its firmware and the error on its subscription record', async () => {
    const { base, rove30 } = await registeredPair();
    base.updateSettings({ ...HANDSET_IMAGES, firmwarePath: '/voice/dect-ip-phones/rove/' });
    await lab.clock.advanceUntil(() => rove30.view().firmwareUpdate?.error !== undefined, HOUR);

    expect(rove30.view().firmware).toBe('8.0.0.0402');
    expect(base.subscriptions.find((s) => s.ipei === rove30.ipei)?.firmwareUpdate?.error).toMatchObject({ code: 'FWU-03' });
    expect(rove30.state).toBe('in-service');
  });

  it('a base reboot during the transfer aborts it; the handset starts over when the base is back', async () => {
    const { base, rove30 } = await registeredPair();
    base.updateSettings(HANDSET_IMAGES);
    await lab.clock.advanceUntil(() => (rove30.view().firmwareUpdate?.percent ?? 0) >= 20, HOUR);

    base.send({ type: 'FORCED_REBOOT', reason: 'test' });
    expect(rove30.state).toBe('searching');
    expect(rove30.view().firmwareUpdate).toBeNull();
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.subscriptions.every((s) => !s.firmwareUpdate)).toBe(true);

    await lab.clock.advanceUntil(() => rove30.view().firmware === '8.0.3.0009', 2 * HOUR);
    expect(rove30.view().firmware).toBe('8.0.3.0009');
  });
});
