/**
 * The base's embedded web admin: the pages a technician uses on a real Rove base, served for every base of the lab.
 *
 * Each base's pages live under `/bases/<MAC>/` of the main server and at `/` of the base's own port (start-server.ts
 * rewrites the URL), so every link, form action and redirect in here is relative; only `/static/` is absolute.
 *
 * Every request goes through, in order:
 * 1. the base lookup: unknown MAC → 404, base off/booting/rebooting → 503 (base-request.ts);
 * 2. the lockout check and HTTP basic auth (auth.ts, lockout.ts);
 * 3. the forced password change while the factory password is in place (password-gate.ts);
 * 4. for forms, the same-origin check (same-origin.ts).
 *
 * Rules and choices are documented in docs/web-admin.md.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BaseSurroundings } from '../base-surroundings.ts';
import { LockedOutError, registerAuth } from './auth.ts';
import { HTML, maybeBaseOf, type MacParams, resolveBase } from './base-request.ts';
import { DEFAULT_LOCKOUT_RULE, type LockoutRule, LoginLockout } from './lockout.ts';
import { autoProvisioningPage } from './pages/auto-provisioning-page.ts';
import { changePasswordPage } from './pages/change-password-page.ts';
import { configurationPage } from './pages/configuration-page.ts';
import { dectChainPage } from './pages/dect-chain-page.ts';
import { dectSummaryPage } from './pages/dect-summary-page.ts';
import { directoryPages } from './pages/directory-pages.ts';
import { multiCellPage } from './pages/multi-cell-page.ts';
import { rebootPage } from './pages/reboot-page.ts';
import { sipPages } from './pages/sip-pages.ts';
import { specificHandsetsPage } from './pages/specific-handsets-page.ts';
import { statusPage } from './pages/status-page.ts';
import { wanSettingsPage } from './pages/wan-settings-page.ts';
import { passwordGate } from './password-gate.ts';
import { errorPage, lockedOutPage, notFoundPage, unauthorizedPage, unknownBasePage } from './plain-pages.ts';
import { sameOriginForms } from './same-origin.ts';

export interface WebAdminOptions {
  lab: BaseSurroundings;
  /** Login lockout rule (default: 5 failures in 5 minutes lock the client out for 5 minutes). */
  lockout?: Partial<LockoutRule>;
  /**
   * Training mode (`rove-sim train`, `rove-sim classroom`): the pages as the device shows them, without the
   * simulator's tutorial texts that would give a trainee the answers (the settings forms' hint column).
   */
  training?: boolean;
}

function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const base = maybeBaseOf(req);
  if (err instanceof LockedOutError && base) {
    return reply.code(403).type(HTML).send(lockedOutPage(base, err.until, req.ip));
  }
  const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (statusCode === 401) return reply.code(401).type(HTML).send(unauthorizedPage(base));
  if (statusCode === 413) {
    return reply.code(413).type(HTML).send(errorPage('413 Too large', 'The uploaded file is too large for a configuration file.', base));
  }
  if (statusCode >= 500) {
    req.log.error(err);
    return reply.code(statusCode).type(HTML).send(errorPage('500 Internal error', 'The web admin failed; see the simulator log.', base));
  }
  return reply.code(statusCode).type(HTML).send(errorPage(`${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}`, err.message, base));
}

/** The pages of one base, behind login and the password gate. */
const basePages: FastifyPluginAsync<{ lab: BaseSurroundings; lockout: LoginLockout; training: boolean }> = async (app: FastifyInstance, { lab, lockout, training }) => {
  app.addHook('onRequest', resolveBase(lab));
  await registerAuth(app, lockout);
  app.addHook('preHandler', passwordGate);
  app.addHook('preHandler', sameOriginForms);
  for (const page of [
    statusPage,
    changePasswordPage,
    autoProvisioningPage,
    wanSettingsPage,
    configurationPage,
    rebootPage,
    dectSummaryPage,
    specificHandsetsPage,
    multiCellPage,
    dectChainPage,
    sipPages,
    directoryPages,
  ]) {
    await app.register(page, { lab, training });
  }
};

export const webAdminPlugin: FastifyPluginAsync<WebAdminOptions> = async (app, options) => {
  const { lab } = options;
  const lockout = new LoginLockout(() => lab.clock.now(), { ...DEFAULT_LOCKOUT_RULE, ...options.lockout });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => reply.code(404).type(HTML).send(notFoundPage(`The web admin has no page ${req.url}.`)));

  // `/bases/<MAC>` → `/bases/<MAC>/`: relative pages need the trailing slash to resolve under the base.
  app.get<{ Params: MacParams }>('/:mac', async (req, reply) => {
    if (!lab.getBase(req.params.mac)) {
      return reply.code(404).type(HTML).send(unknownBasePage(req.params.mac));
    }
    return reply.code(302).header('location', `./${encodeURIComponent(req.params.mac)}/`).send();
  });

  await app.register(basePages, { lab, lockout, training: options.training ?? false });
};
