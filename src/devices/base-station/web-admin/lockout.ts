/**
 * Login lockout: how the web admin slows down password guessing.
 *
 * The rule (the simulator's own; the real Rove rule is not published, see docs/web-admin.md):
 *
 * - A request whose basic-auth credentials are wrong counts as one failed login for that base and client IP.
 *   A request without credentials (a browser's first try) does not count.
 * - {@link LockoutRule.maxFailures} failures (default 5) within {@link LockoutRule.windowMs} (default 5 minutes)
 *   lock that client out of that base for {@link LockoutRule.lockMs} (default 5 minutes) from the last failure.
 * - While locked, every request from that client is answered 403 with the time to try again, whatever credentials
 *   it carries, so guessing cannot go on.
 * - A successful login forgets the client's failures; a reboot of the base forgets everything (the list lives in
 *   the device's RAM, not its flash).
 *
 * All times come from the lab clock, so a test or a rehearsal at ×100 sees the lockout end on the lab's time.
 */

export interface LockoutRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT_RULE: Readonly<LockoutRule> = Object.freeze({
  maxFailures: 5,
  windowMs: 5 * 60_000,
  lockMs: 5 * 60_000,
});

interface ClientRecord {
  /** Lab times of recent failures, oldest first. */
  failures: number[];
  lockedUntil: number | null;
}

export class LoginLockout {
  private readonly clients = new Map<string, ClientRecord>();
  /** Boot instant of each base the records were made under: a reboot clears the base's records. */
  private readonly bootOf = new Map<string, number | null>();

  constructor(
    private readonly now: () => number,
    readonly rule: Readonly<LockoutRule> = DEFAULT_LOCKOUT_RULE,
  ) {}

  /** The lab time until which the client is locked out of the base, or null when it may try. */
  lockedUntil(base: BaseRef, ip: string): number | null {
    const record = this.record(base, ip, false);
    if (!record?.lockedUntil) return null;
    if (record.lockedUntil > this.now()) return record.lockedUntil;
    this.clients.delete(key(base.mac, ip));
    return null;
  }

  /** Counts a failed login; returns the lock end when this failure locks the client out. */
  recordFailure(base: BaseRef, ip: string): number | null {
    const now = this.now();
    const record = this.record(base, ip, true)!;
    record.failures = record.failures.filter((at) => at > now - this.rule.windowMs);
    record.failures.push(now);
    if (record.failures.length >= this.rule.maxFailures) {
      record.failures = [];
      record.lockedUntil = now + this.rule.lockMs;
      return record.lockedUntil;
    }
    return null;
  }

  recordSuccess(base: BaseRef, ip: string): void {
    this.clients.delete(key(base.mac, ip));
  }

  private record(base: BaseRef, ip: string, create: boolean): ClientRecord | undefined {
    if (this.bootOf.get(base.mac) !== base.bootedAt) {
      for (const k of this.clients.keys()) if (k.startsWith(`${base.mac} `)) this.clients.delete(k);
      this.bootOf.set(base.mac, base.bootedAt);
    }
    const k = key(base.mac, ip);
    let record = this.clients.get(k);
    if (!record && create) this.clients.set(k, (record = { failures: [], lockedUntil: null }));
    return record;
  }
}

/** What the lockout needs to know of a base: which one, and since when it runs. */
export interface BaseRef {
  mac: string;
  /** Lab time the base finished booting (null while down). */
  bootedAt: number | null;
}

function key(mac: string, ip: string): string {
  return `${mac} ${ip}`;
}
