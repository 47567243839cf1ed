/**
 * The Teams SIP edge's rules, and the device side of its NOTIFYs, one by one: the firmware refusal read from the
 * User-Agent, the base's reading of check-sync, the handset's reading of a pushed pairing code.
 */
import { describe, expect, it } from 'vitest';
import { baseEventOfNotify } from '../../../../src/devices/base-station/check-sync-event.ts';
import { pairingOfNotify, TeamsLine } from '../../../../src/devices/handset/teams-line.ts';
import { firmwareRefusal, parseRoveUserAgent } from '../../../../src/cloud/teams/sip-edge/firmware-check.ts';

describe('Teams SIP edge rules', () => {
  it('refuses base or handset firmware older than 8.0.3, from the User-Agent', () => {
    expect(parseRoveUserAgent('RoveB4 8.0.3.0009 0004F2A00001 Rove30 8.0.3.0009')).toEqual({
      baseFirmware: '8.0.3.0009',
      baseMac: '0004F2A00001',
      handsetFirmware: '8.0.3.0009',
    });
    expect(firmwareRefusal('RoveB4 8.0.0.0402 0004F2A00001 Rove30 8.0.3.0009')).toBe('Base firmware 8.0.0.0402 not supported: Teams needs 8.0.3 or later');
    expect(firmwareRefusal('RoveB4 8.0.3.0009 0004F2A00001 Rove30 8.0.0.0402')).toBe('Handset firmware 8.0.0.0402 not supported: Teams needs 8.0.3 or later');
    expect(firmwareRefusal('RoveB4 8.0.3.0009 0004F2A00001')).toBeNull();
    expect(firmwareRefusal('Some other phone')).toBeNull();
  });

  it('a base reads Event: check-sync as a provisioning fetch, ;reboot=true as a reboot, anything else as nothing', () => {
    expect(baseEventOfNotify('check-sync')).toEqual({ type: 'FETCH_PROVISIONING' });
    expect(baseEventOfNotify('check-sync;reboot=true')).toEqual({ type: 'REBOOT', reason: 'Teams SIP Gateway: check-sync;reboot=true' });
    expect(baseEventOfNotify('x-teams-pairing')).toBeUndefined();
  });

  it('a handset reads a pushed pairing code and its expiry', () => {
    expect(pairingOfNotify({ event: 'x-teams-pairing', contentType: 'text/plain', body: 'code=ABCDE1234\r\nurl=https://microsoft.com/devicelogin\r\n' })).toEqual({
      code: 'ABCDE1234',
      url: 'https://microsoft.com/devicelogin',
    });
    expect(pairingOfNotify({ event: 'x-teams-pairing;expired=true', contentType: null, body: '' })).toBe('expired');
    expect(pairingOfNotify({ event: 'check-sync', contentType: null, body: '' })).toBeUndefined();
  });

  it('a handset knows Teams from its file and the answers it heard: enrolled until the next file, signed out once signed in', () => {
    const softKeys = { signIn: () => ({ ok: false as const, message: '' }), signOut: () => ({ ok: true as const }) };
    const server = 'emea.sip.sdg.teams.microsoft.com';
    const teams = new TeamsLine();
    teams.setFacts({ kind: 'teams', fileState: 'onboarding', server, label: null, language: '', softKeys });
    expect(teams.state).toBe('onboarding');
    teams.heardAnswer('*55*123456', 486, 'Busy Here');
    expect(teams.state).toBe('waiting-for-sign-in');
    teams.setFacts({ kind: 'teams', fileState: 'onboarding', server: 'noam.sip.sdg.teams.microsoft.com', label: null, language: '', softKeys });
    expect(teams.state).toBe('onboarding');
    teams.setFacts({ kind: 'teams', fileState: 'signed-in', server, label: '+14255550101', language: '', softKeys });
    teams.heardAnswer('*30*', 480, 'Do not disturb on');
    expect(teams.state).toBe('signed-in');
    teams.setFacts({ kind: 'teams', fileState: 'waiting-for-sign-in', server, label: null, language: '', softKeys });
    expect(teams.state).toBe('signed-out');
  });
});
