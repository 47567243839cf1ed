import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../src/lab/lab.ts';
import { HOUR, openTestLab } from '../../../support/lab.ts';

const HW = '000087654321';

/**
 * The gateway keeps the machine snapshot a device record was made from and starts the next event from it, instead of
 * resolving the record again. A lab that re-reads every record from the lab file after each step (so every event starts
 * from a resolved snapshot) must end up with the very same devices, history trimming included.
 */
describe('Teams gateway: kept device snapshots', () => {
  const labs: Lab[] = [];
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.close();
  });

  const script = (lab: Lab, step: () => void): void => {
    lab.teams.addDevices([{ macAddress: HW, location: 'Shop floor' }], 'api');
    step();
    lab.teams.generateVerificationCode(HW);
    step();
    lab.teams.generateVerificationCode(HW);
    step();
    const { code } = lab.teams.generateVerificationCode(HW);
    step();
    lab.teams.enroll(HW, '000000', 'EMEA');
    step();
    lab.teams.enroll(HW, code, 'EMEA');
    step();
    for (let i = 0; i < 4; i++) {
      lab.teams.deviceSeen(HW, 'EMEA', { language: 'de', bulkSignInTag: null, baseMac: i % 2 ? '0004F2A00001' : '0004F2A00002' });
      step();
      lab.clock.advance(HOUR);
    }
    lab.teams.deviceSeen(HW, 'NOAM');
    step();
    const pairing = lab.teams.requestPairingCode(HW, 'device', 'EMEA');
    step();
    lab.teams.signIn(pairing.code, 'Adele.Vance@contoso.com');
    step();
    lab.teams.handleProvisioningRequest(HW, 'EMEA', 'fr', undefined, '0004F2A00001');
    step();
    lab.teams.setLocation(HW, 'Stock room');
    step();
    lab.teams.setDoNotDisturb(HW, true);
    step();
    lab.teams.signOut(HW, 'device');
    step();
    lab.teams.deviceSeen(HW, 'EMEA', { baseMac: '0004F2A00001' });
    step();
  };

  it('give the same records as snapshots resolved from the lab file, with a short history', async () => {
    const options = { teamsProfile: { historySize: 3 } };
    const kept = await openTestLab(options);
    const reread = await openTestLab(options);
    labs.push(kept, reread);
    const trace = (lab: Lab) => {
      const seen: unknown[] = [];
      script(lab, () => seen.push(lab.teams.device(HW)));
      return seen;
    };
    const a = trace(kept);
    const b = (() => {
      const seen: unknown[] = [];
      script(reread, () => {
        reread.teams.reload();
        seen.push(reread.teams.device(HW));
      });
      return seen;
    })();
    // Codes are random in each lab; everything else must match.
    const strip = (views: unknown[]) => JSON.parse(JSON.stringify(views, (k, v) => (k === 'code' || k === 'verificationCode' || k === 'pairing' || k === 'spentCodes' || k === 'expiredPairing' ? undefined : v)));
    expect(strip(a)).toEqual(strip(b));
    expect(kept.teams.device(HW)?.history).toHaveLength(3);
    expect(kept.teams.device(HW)?.state).toBe('signedOut');
  });
});
