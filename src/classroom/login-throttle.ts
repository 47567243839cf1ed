/**
 * How the classroom's login page slows down password guessing: at most {@link LoginThrottleRule.maxFailures} failed
 * logins (default 10) per trainee login and per source address within {@link LoginThrottleRule.windowMs} (default a
 * minute). Past that, every attempt for that login or from that source — right password or not, so guessing cannot go
 * on — is answered 429 until the oldest failure of the window is a window old; the answer says when.
 *
 * Two keys, because a guesser may try one login from many addresses or many logins from one. A successful login
 * forgets the login's failures (not the source's). The time comes from the server's clock, injected so a test steps it.
 * The table is bounded: past {@link MAX_KEYS} keys the stalest go first.
 */
export interface LoginThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottleRule> = Object.freeze({ maxFailures: 10, windowMs: 60_000 });

const MAX_KEYS = 10_000;

export interface Throttled {
  /** What was throttled, as the message names it: `for trainee01` or `from 10.0.0.7`. */
  who: string;
  /** When the next attempt is taken (server time, epoch ms). */
  retryAt: number;
}

export class LoginThrottle {
  /** Failure times by key (`login:…`, `ip:…`), oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    readonly rule: Readonly<LoginThrottleRule> = DEFAULT_LOGIN_THROTTLE,
  ) {}

  /** Whether an attempt for `login` from `ip` is refused now, and until when. */
  check(login: string, ip: string): Throttled | undefined {
    for (const [key, who] of [
      [`login:${login}`, `for ${login}`],
      [`ip:${ip}`, `from ${ip}`],
    ] as const) {
      const recent = this.recent(key);
      if (recent.length >= this.rule.maxFailures) return { who, retryAt: recent[recent.length - this.rule.maxFailures]! + this.rule.windowMs };
    }
    return undefined;
  }

  recordFailure(login: string, ip: string): void {
    const now = this.now();
    for (const key of [`login:${login}`, `ip:${ip}`]) {
      const recent = this.recent(key);
      recent.push(now);
      // Only the last maxFailures matter for the answer.
      this.failures.delete(key);
      this.failures.set(key, recent.slice(-this.rule.maxFailures));
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(login: string): void {
    this.failures.delete(`login:${login}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
