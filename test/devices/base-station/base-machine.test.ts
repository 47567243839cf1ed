import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../../src/devices/base-station/base-station.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

describe('Rove base station power and reboots', () => {
  let lab: Lab;
  let base: BaseStation;
  afterEach(async () => lab?.close());

  async function bootedBase(): Promise<void> {
    lab = await openTestLab();
    base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
  }

  it('powers on into booting and comes up after the boot delay', async () => {
    lab = await openTestLab();
    base = lab.getBase('0004F2A00001')!;
    expect(base.state).toBe('booting');
    await lab.clock.advance(lab.profile.bootMs - 1);
    expect(base.state).toBe('booting');
    await lab.clock.advance(1);
    expect(base.state).toBe('running');
    expect(base.status().rebootLog[0]).toMatchObject({ reason: 'Power on', kind: 'power-on' });
  });

  it('REBOOT restarts the base, counts it and logs the reason with the time', async () => {
    await bootedBase();
    const at = lab.clock.now();
    base.send({ type: 'REBOOT', reason: 'REBOOT (web admin)' });
    expect(base.state).toBe('rebooting');
    expect(base.status().reboots).toBe(1);
    expect(base.status().rebootLog[0]).toEqual({ at, reason: 'REBOOT (web admin)', kind: 'reboot' });
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status().uptimeSeconds).toBe(0);
  });

  it('REBOOT waits for an active call to end; FORCED REBOOT does not wait', async () => {
    await bootedBase();
    base.send({ type: 'CALL_STARTED' });
    base.send({ type: 'REBOOT', reason: 'REBOOT (web admin)' });
    expect(base.state).toBe('running');
    expect(base.status().rebootPending).toBe('REBOOT (web admin)');
    await lab.clock.advance(10 * MINUTE);
    expect(base.status().reboots).toBe(0);
    base.send({ type: 'CALL_ENDED' });
    expect(base.state).toBe('rebooting');
    expect(base.status().rebootLog[0]?.reason).toBe('REBOOT (web admin)');

    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.send({ type: 'CALL_STARTED' });
    base.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    expect(base.state).toBe('rebooting');
    expect(base.status().reboots).toBe(2);
    expect(base.status().activeCalls).toBe(0);
  });

  it('power loss takes the base down at once and power-on boots it again (not counted as a reboot)', async () => {
    await bootedBase();
    base.setPower(false);
    expect(base.state).toBe('off');
    expect(base.flash.powered).toBe(false);
    await lab.clock.advance(60 * MINUTE);
    expect(base.state).toBe('off');
    base.setPower(true);
    expect(base.state).toBe('booting');
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status().reboots).toBe(0);
    expect(base.status().rebootLog.filter((e) => e.kind === 'power-on')).toHaveLength(2);
  });

  it('factory reset forgets settings and the admin password but keeps MAC, model and firmware', async () => {
    await bootedBase();
    base.setAdminPassword('Secret123');
    base.updateSettings({ ntpServer: 'ntp.example.com' });
    base.send({ type: 'FACTORY_RESET' });
    expect(base.state).toBe('rebooting');
    expect(base.flash.settings.ntpServer).toBe('pool.ntp.org');
    expect(base.mustChangePassword).toBe(true);
    expect(base.flash.mac).toBe('0004F2A00001');
    expect(base.status().rebootLog[0]?.reason).toBe('Factory reset');
  });

  it('refuses invalid settings with a message per field and keeps what was saved', async () => {
    await bootedBase();
    expect(base.updateSettings({ firmwareServer: 'http://downloads.polycom.com/' }).ok).toBe(true);
    const result = base.updateSettings({
      firmwareServer: 'ftp://example.com/',
      firmwareInterval: 'thirty',
      baseFwVersion: '8.0.3',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field)).toEqual(['FirmwareServer', 'Interval', 'BaseFWVersion']);
      expect(result.errors[1]?.message).toBe('Interval must be a whole number of minutes from 1 to 44640');
    }
    expect(base.flash.settings.firmwareServer).toBe('http://downloads.polycom.com/');
    expect(base.flash.settings.firmwareInterval).toBe('1440');
  });
});
