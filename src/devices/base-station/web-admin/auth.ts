/**
 * Login to a base's web admin: HTTP basic auth as on the real device, user `admin`.
 *
 * - The realm names the base (`Rove B4 0004F2A00001`), so a browser keeps separate credentials per base even when
 *   several bases are served from one origin (`/bases/<MAC>/`).
 * - The password is the one in the base's flash (`admin` at factory defaults; the password gate then forces a change).
 * - Failed logins feed the {@link LoginLockout}; a locked-out client is refused (403) before its credentials are
 *   even looked at.
 */
import fastifyBasicAuth from '@fastify/basic-auth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BaseStation } from '../base-station.ts';
import { baseOf, HTML, maybeBaseOf } from './base-request.ts';
import type { BaseRef, LoginLockout } from './lockout.ts';
import { lockedOutPage } from './plain-pages.ts';

export const ADMIN_USER = 'admin';

/** The 5th bad login within the window: answered 403 with the lockout page instead of another 401. */
export class LockedOutError extends Error {
  readonly statusCode = 403;
  constructor(readonly until: number) {
    super('too many failed logins');
    this.name = 'LockedOutError';
  }
}

export function realmOf(base: Pick<BaseStation, 'mac' | 'flash'> | undefined): string {
  return base ? `Rove ${base.flash.model} ${base.mac}` : 'Rove';
}

export function lockoutRef(base: BaseStation): BaseRef {
  return { mac: base.mac, bootedAt: base.snapshot.context.bootedAt };
}

/** Registers basic auth on the (encapsulated) web admin context; every route registered after it needs a login. */
export async function registerAuth(app: FastifyInstance, lockout: LoginLockout): Promise<void> {
  await app.register(fastifyBasicAuth, {
    authenticate: { realm: (req) => realmOf(maybeBaseOf(req)) },
    async validate(username, password, req) {
      const base = baseOf(req);
      if (username === ADMIN_USER && base.checkAdminPassword(password)) {
        lockout.recordSuccess(lockoutRef(base), req.ip);
        return undefined;
      }
      const until = lockout.recordFailure(lockoutRef(base), req.ip);
      return until === null ? new Error('wrong user name or password') : new LockedOutError(until);
    },
  });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const base = baseOf(req);
    const until = lockout.lockedUntil(lockoutRef(base), req.ip);
    if (until !== null) return reply.code(403).type(HTML).send(lockedOutPage(base, until, req.ip));
    return undefined;
  });
  app.addHook('onRequest', app.basicAuth);
}
