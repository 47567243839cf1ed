import { describe, expect, it } from 'vitest';
import { ProvisioningAnswers } from '../../../../src/cloud/teams/provisioning/provisioning-answers.ts';
import { SipAccounts } from '../../../../src/cloud/teams/provisioning/sip-accounts.ts';
import { deviceParts } from '../devices/device-parts.ts';

const HW = '000087654321';

/** What the provisioning service answers, by device state and region (provisioning/provisioning-answers.ts). */
describe('Provisioning answers', () => {
  const open = () => {
    const parts = deviceParts();
    const accounts = new SipAccounts(parts.store);
    const answers = new ProvisioningAnswers({ records: parts.records, inventory: parts.inventory, tenant: parts.tenant, accounts });
    return { ...parts, accounts, answers };
  };

  it('answers 404 for a name that is not a hardware id and a tenant id that is not a GUID', () => {
    const { answers, dispose } = open();
    expect(answers.provisioningFileFor('hello', 'EMEA')).toMatchObject({ status: 404 });
    expect(answers.provisioningFileFor(HW, 'EMEA', undefined, 'contoso')).toMatchObject({ status: 404 });
    dispose();
  });

  it('onboards an unknown device, and a device enrolled via another region', () => {
    const { answers, enrollment, inventory, accounts, dispose } = open();
    expect(answers.provisioningFileFor(HW, 'EMEA')).toMatchObject({ status: 200, state: 'onboarding', hardwareId: HW, language: 'en' });
    inventory.addDevices([{ macAddress: HW }], 'api');
    enrollment.enroll(HW, enrollment.generateVerificationCode(HW).code, 'EMEA');
    expect(answers.provisioningFileFor(HW, 'EMEA')).toMatchObject({ state: 'waiting-for-sign-in' });
    const elsewhere = answers.provisioningFileFor(HW, 'NOAM');
    expect(elsewhere).toMatchObject({ state: 'onboarding' });
    expect(elsewhere.body).toContain('The NOAM gateway has no record of this device (it enrolled via EMEA): onboarding again.');
    expect(answers.sipAccountFor(HW, 'NOAM')).toEqual(accounts.onboardingAccount(HW));
    dispose();
  });

  it("gives a signed-in device its user's line, the account sipAccountFor reports", () => {
    const { answers, signedIn, accounts, records, dispose } = open();
    signedIn(HW);
    const answer = answers.provisioningFileFor(HW, 'EMEA', 'de');
    expect(answer).toMatchObject({ status: 200, state: 'signed-in', language: 'de' });
    const d = records.get(HW)!;
    expect(answers.sipAccountFor(HW, 'EMEA')).toEqual(accounts.lineAccount(HW, d.user!, d.signedInAt));
    expect(answer.body).toContain(accounts.lineAccount(HW, d.user!, d.signedInAt).password);
    dispose();
  });

  it('records a real fetch as contact with the device (and a pure answer does not)', async () => {
    const { answers, signedIn, records, clock, dispose } = open();
    signedIn(HW);
    await clock.advance(60_000);
    answers.provisioningFileFor(HW, 'EMEA');
    expect(records.get(HW)?.lastContactAt).not.toBe(clock.now());
    answers.handleProvisioningRequest(HW, 'EMEA', 'fr', undefined, '0004F2A00001');
    expect(records.get(HW)).toMatchObject({ lastContactAt: clock.now(), language: 'fr', sources: [{ baseMac: '0004F2A00001', at: clock.now() }] });
    dispose();
  });
});
