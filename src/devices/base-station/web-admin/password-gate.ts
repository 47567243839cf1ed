/**
 * Seed 000: "When you log into the Poly DECT base for the first time (admin / admin), you need to change the
 * password." Until it is changed, every page answers 303 to the change-password form, and nothing else is applied.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { baseOf } from './base-request.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Web admin: the one page reachable while the factory password must still be changed. */
    reachableWithFactoryPassword?: boolean;
  }
}

export const CHANGE_PASSWORD_PATH = 'change-password';

export async function passwordGate(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  if (baseOf(req).mustChangePassword && !req.routeOptions.config.reachableWithFactoryPassword) {
    return reply.code(303).header('location', `./${CHANGE_PASSWORD_PATH}`).send();
  }
}
