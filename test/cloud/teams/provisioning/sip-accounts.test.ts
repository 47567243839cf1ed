import { describe, expect, it } from 'vitest';
import type { DeviceUser } from '../../../../src/cloud/teams/devices/device-machine.ts';
import { SipAccounts } from '../../../../src/cloud/teams/provisioning/sip-accounts.ts';
import { MemoryDocumentStore } from '../../../support/memory-document-store.ts';

const HW = '000087654321';
const ADELE: DeviceUser = { upn: 'adele.vance@contoso.com', displayName: 'Adele Vance', phoneNumber: '+14255550101', sipCallingAllowed: true };

/** The SIP accounts in a provisioning file (provisioning/sip-accounts.ts): derived from the gateway's secret. */
describe('SIP accounts', () => {
  it('give a device the same onboarding account on every fetch, and a line account per sign-in', () => {
    const accounts = new SipAccounts(new MemoryDocumentStore());
    const onboarding = accounts.onboardingAccount(HW);
    expect(onboarding.user).toBe(`onboarding-${HW}`);
    expect(onboarding.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(accounts.onboardingAccount(HW)).toEqual(onboarding);
    const line = accounts.lineAccount(HW, ADELE, 1_000);
    expect(line.user).toBe('+14255550101');
    expect(accounts.lineAccount(HW, ADELE, 1_000)).toEqual(line);
    expect(accounts.lineAccount(HW, ADELE, 2_000).password).not.toBe(line.password);
    expect(accounts.lineAccount(HW, { ...ADELE, phoneNumber: null }, 1_000).user).toBe('adele.vance@contoso.com');
  });

  it('keep their secret in the store: the same passwords after a restart, others in another lab', () => {
    const store = new MemoryDocumentStore();
    const first = new SipAccounts(store).onboardingAccount(HW).password;
    expect(store.ids('teams-gateway')).toEqual(['secret']);
    expect(new SipAccounts(store).onboardingAccount(HW).password).toBe(first);
    expect(new SipAccounts(new MemoryDocumentStore()).onboardingAccount(HW).password).not.toBe(first);
  });
});
