/**
 * The embedded SIP server's user directory: one account per extension, with the digest credentials a line
 * registers with. Extension numbers are unique; authentication user names are unique too (the digest username
 * identifies the account).
 */
import {
  ERR_SIP_AUTH_USER_EXISTS,
  ERR_SIP_AUTH_USER_INVALID,
  ERR_SIP_EXTENSION_EXISTS_2,
  ERR_SIP_EXTENSION_INVALID,
  ERR_SIP_EXTENSION_UNKNOWN,
  ERR_SIP_PASSWORD_INVALID,
} from '../../kernel/error-catalogue.ts';

export interface SipAccount {
  /** The extension number, also the user part of the address of record (`1001@domain`). */
  extension: string;
  /** Digest user name (defaults to the extension). */
  authUser: string;
  password: string;
  displayName: string;
}

export type SipAccountInput = Pick<SipAccount, 'extension' | 'password'> & Partial<SipAccount>;

/** `1001`, `reception`, or an E.164 number (`+4969555010`: Teams lines). */
const EXTENSION = /^\+?[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$/;

export class AccountDirectory {
  private readonly byExtension = new Map<string, SipAccount>();
  /** Digest user name → account (unique; kept with `byExtension` so a REGISTER's lookup is not a scan). */
  private readonly byAuthUser = new Map<string, SipAccount>();

  constructor(accounts: SipAccountInput[] = []) {
    for (const account of accounts) this.add(account);
  }

  add(input: SipAccountInput): SipAccount {
    const account = checkAccount(input);
    if (this.byExtension.has(account.extension)) {
      throw new ERR_SIP_EXTENSION_EXISTS_2(account.extension);
    }
    const clash = this.findByAuthUser(account.authUser);
    if (clash) {
      throw new ERR_SIP_AUTH_USER_EXISTS(account.authUser, clash.extension);
    }
    this.byExtension.set(account.extension, account);
    this.byAuthUser.set(account.authUser, account);
    return account;
  }

  /** Replaces an account's credentials or display name (the extension stays). */
  update(extension: string, changes: Partial<Omit<SipAccount, 'extension'>>): SipAccount {
    const current = this.byExtension.get(extension);
    if (!current) throw new ERR_SIP_EXTENSION_UNKNOWN(extension);
    const next = checkAccount({ ...current, ...changes, extension });
    const clash = this.findByAuthUser(next.authUser);
    if (clash && clash.extension !== extension) {
      throw new ERR_SIP_AUTH_USER_EXISTS(next.authUser, clash.extension);
    }
    this.byExtension.set(extension, next);
    this.byAuthUser.delete(current.authUser);
    this.byAuthUser.set(next.authUser, next);
    return next;
  }

  remove(extension: string): boolean {
    const account = this.byExtension.get(extension);
    if (!account) return false;
    this.byAuthUser.delete(account.authUser);
    return this.byExtension.delete(extension);
  }

  get(extension: string): SipAccount | undefined {
    return this.byExtension.get(extension);
  }

  findByAuthUser(authUser: string): SipAccount | undefined {
    return this.byAuthUser.get(authUser);
  }

  list(): SipAccount[] {
    return [...this.byExtension.values()];
  }
}

function checkAccount(input: SipAccountInput): SipAccount {
  const extension = String(input.extension ?? '').trim();
  if (!EXTENSION.test(extension)) {
    throw new ERR_SIP_EXTENSION_INVALID(extension);
  }
  const authUser = String(input.authUser ?? extension).trim();
  if (!EXTENSION.test(authUser)) {
    throw new ERR_SIP_AUTH_USER_INVALID(authUser);
  }
  const password = String(input.password ?? '');
  if (password.length === 0 || password.length > 64 || /[\u0000-\u001f"\\]/.test(password)) {
    throw new ERR_SIP_PASSWORD_INVALID();
  }
  const displayName = String(input.displayName ?? extension).trim().slice(0, 64).replace(/["\\\r\n]/g, '');
  return { extension, authUser, password, displayName };
}
