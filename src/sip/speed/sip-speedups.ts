/**
 * The SIP speed-ups, installed once and explicitly: sip.js's grammar decoded once per process with its parses
 * remembered and the common header shapes read by hand (fast-grammar.ts, fast-headers.ts), and header names
 * canonicalised once per name in its incoming messages (fast-headerize.ts), and the digest's MD5 done by Node's
 * crypto (fast-md5.ts).
 *
 * Why explicit: both replace sip.js internals (`Grammar.parse`, methods of `IncomingMessage.prototype`) for the whole
 * process. Done as a side effect of importing a module, whether they were in place depended on what had been
 * imported; here `Lab.open()` installs them (every lab — `rove-sim start`, `rove-sim rehearse`, the tests — gets them
 * the same way) and they can be switched off to rule them out: `ROVE_SIP_SPEEDUPS=off`, or `--no-sip-speedups` on
 * `rove-sim start` and `rove-sim rehearse` (which sets that variable, so a rehearsal's worker and re-started node
 * inherit it). Off, sip.js runs exactly as shipped: the same results (test/sip/sip-speedups.test.ts), only slower.
 */
import { installFastHeaderize, uninstallFastHeaderize } from './fast-headerize.ts';
import { type FastGrammarStatus, installFastSipGrammar, uninstallFastSipGrammar } from './fast-grammar.ts';
import { installFastMd5, uninstallFastMd5 } from './fast-md5.ts';

/** The environment variable that switches the speed-ups off (`off`). */
export const SIP_SPEEDUPS_ENV = 'ROVE_SIP_SPEEDUPS';

export type SipSpeedupsStatus = FastGrammarStatus;

/** Whether labs should install the speed-ups: yes unless `ROVE_SIP_SPEEDUPS=off`. */
export function sipSpeedupsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SIP_SPEEDUPS_ENV]?.trim().toLowerCase() !== 'off';
}

/**
 * Puts the speed-ups in place. Idempotent. The grammar reports when it could not be installed (another sip.js
 * version): parsing then stays sip.js's own, correct and slower.
 */
export function installSipSpeedups(): SipSpeedupsStatus {
  installFastHeaderize();
  installFastMd5();
  return installFastSipGrammar();
}

/** Gives sip.js back its own `Grammar.parse`, `IncomingMessage` methods and `Md5.hashStr`. Idempotent. */
export function uninstallSipSpeedups(): void {
  uninstallFastSipGrammar();
  uninstallFastHeaderize();
  uninstallFastMd5();
}

/**
 * `--no-sip-speedups`: off for this process and what it starts (a rehearsal's worker, a re-started node inherit the
 * environment), and removed if something had installed them already.
 */
export function switchSipSpeedupsOff(env: NodeJS.ProcessEnv = process.env): void {
  env[SIP_SPEEDUPS_ENV] = 'off';
  uninstallSipSpeedups();
}
