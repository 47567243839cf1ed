import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE, openTestLab } from '../support/lab.ts';

describe('Auto firmware update (seed 000 "Firmware update")', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('a technician enters the guide values: the base downloads 8.0.3.0009, reboots once and reports it', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status().firmware).toBe('8.0.0.0402');
    const rebootsBefore = base.status().reboots;

    expect(base.updateSettings(GUIDE_FIRMWARE_SETTINGS).ok).toBe(true);
    await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'installing', 10 * MINUTE);
    await lab.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);

    const status = base.status();
    expect(status.firmware).toBe('8.0.3.0009');
    expect(status.reboots).toBe(rebootsBefore + 1);
    expect(status.rebootLog[0]?.reason).toBe('Firmware update 8.0.0.0402 → 8.0.3.0009');
    expect(lab.internet.requestLog().some((r) => r.url === 'http://downloads.polycom.com/voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu' && r.outcome === 'HTTP 200')).toBe(true);

    // Next periodic checks find nothing to do: no further reboot.
    await lab.clock.advance(120 * MINUTE);
    expect(base.status().reboots).toBe(rebootsBefore + 1);
    expect(base.status().firmwareUpdate.phase).toBe('up-to-date');
  });

  it('a wrong FirmwarePath shows error FWU-03 and the base keeps its firmware', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ ...GUIDE_FIRMWARE_SETTINGS, firmwarePath: '/voice/dect-ip-phones/rove/' });
    await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'error', 10 * MINUTE);
    const status = base.status();
    expect(status.firmwareUpdate.code).toBe('FWU-03');
    expect(status.firmwareUpdate.message).toContain('check FirmwarePath');
    expect(status.firmware).toBe('8.0.0.0402');
    expect(status.state).toBe('running');
  });
});
