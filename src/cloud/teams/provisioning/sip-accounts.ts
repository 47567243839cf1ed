/**
 * The SIP accounts the gateway hands out in provisioning files (`%SIP_USER%`, `%SIP_PASSWORD%`): an onboarding account
 * per device until a user signs in, then the user's line account for that sign-in.
 *
 * Passwords are derived, not stored: an HMAC of the account's purpose under the gateway's secret (one
 * `teams-gateway` document, made on first start), so the same purpose always gives the same password and a new
 * sign-in gives a new one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { DocumentStore } from '../../../kernel/document-store.ts';
import type { DeviceUser } from '../devices/device-machine.ts';

const GATEWAY_KIND = 'teams-gateway';

export interface SipAccount {
  user: string;
  password: string;
}

export class SipAccounts {
  private readonly secret: string;
  /** Passwords derived from the secret, by purpose (see password()). */
  private readonly passwords = new Map<string, string>();

  constructor(store: DocumentStore) {
    const saved = store.list<{ secret: string }>(GATEWAY_KIND)[0];
    this.secret = saved?.secret ?? randomBytes(16).toString('hex');
    if (!saved) store.put(GATEWAY_KIND, 'secret', { secret: this.secret });
  }

  /** The account a device registers with before a user signs in (also while waiting for sign-in). */
  onboardingAccount(id: string): SipAccount {
    return { user: `onboarding-${id.toLowerCase()}`, password: this.password(`onboarding:${id}`) };
  }

  /** The signed-in user's line: their number (else UPN), a password for this sign-in. */
  lineAccount(id: string, user: DeviceUser, signedInAt: number | null): SipAccount {
    return { user: user.phoneNumber ?? user.upn, password: this.password(`line:${id}:${user.upn}:${signedInAt}`) };
  }

  private password(purpose: string): string {
    // Derived, not stored: the same purpose always gives the same password. Remembered (bounded) because every
    // provisioning fetch and every line refresh asks again.
    let password = this.passwords.get(purpose);
    if (password === undefined) {
      password = createHmac('sha256', this.secret).update(purpose).digest('base64url').slice(0, 20);
      if (this.passwords.size >= 20_000) this.passwords.clear();
      this.passwords.set(purpose, password);
    }
    return password;
  }
}
