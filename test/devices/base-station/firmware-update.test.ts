import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE, openTestLab } from '../../support/lab.ts';

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

  it('right after saving, the status says when the first check comes instead of "disabled"', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status().firmwareUpdate.phase).toBe('disabled');
    base.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    expect(base.status().firmwareUpdate).toMatchObject({ phase: 'scheduled', message: 'First firmware check in 60 s' });
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

  it.each([
    ['a FirmwareServer nobody listens on', 'http://127.0.0.1:9/', 'FWU-02', 'No response from firmware server'],
    ['an unknown host name', 'http://firmware.example.invalid/', 'FWU-01', 'could not resolve host firmware.example.invalid'],
  ])('%s gives the status page error %s', async (_what, server, code, text) => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ ...GUIDE_FIRMWARE_SETTINGS, firmwareServer: server });
    await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'error', 10 * MINUTE);
    expect(base.status().firmwareUpdate.code).toBe(code);
    expect(base.status().firmwareUpdate.message).toContain(text);
  });

  it('refuses an image whose header names another model (FWU-05)', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    // The catalogue's B2 image served under the B4 name: a server with a wrong file.
    const { createServer } = await import('node:http');
    const { readFileSync } = await import('node:fs');
    const b2 = readFileSync(new URL('../../../fixtures/firmware/voice/dect-ip-phones/Rove/RoveB2_v8003_b0009.fwu', import.meta.url));
    const server = createServer((_req, res) => res.end(b2));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      base.updateSettings({ ...GUIDE_FIRMWARE_SETTINGS, firmwareServer: `http://127.0.0.1:${port}/` });
      await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'error', 10 * MINUTE);
      expect(base.status().firmwareUpdate.code).toBe('FWU-05');
      expect(base.status().firmwareUpdate.message).toContain('expected RoveB4 8.0.3.0009, got RoveB2 8.0.3.0009');
      expect(base.status().firmware).toBe('8.0.0.0402');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('REBOOT during a firmware download waits; the base reboots once, into the new firmware', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    await lab.clock.advanceUntil(() => base.status().firmwareUpdate.phase === 'downloading', 10 * MINUTE);
    base.send({ type: 'REBOOT', reason: 'REBOOT (web admin)' });
    expect(base.state).toBe('running');
    expect(base.status().rebootPending).toBe('REBOOT (web admin)');
    await lab.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    expect(base.status().rebootLog[0]?.reason).toBe('Firmware update 8.0.0.0402 → 8.0.3.0009');
    expect(base.status().rebootPending).toBeNull();
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status()).toMatchObject({ firmware: '8.0.3.0009', reboots: 1 });
  });
});
