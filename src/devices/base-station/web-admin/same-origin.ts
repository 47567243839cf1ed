/**
 * Browsers send a login saved for a base with every request to it, including a form posted by another site the
 * technician has open. The simulator refuses a POST whose `Origin` names another host, so a page on the internet
 * cannot reboot a lab base (whether the real firmware checks this is not known). Requests without `Origin` (scripts,
 * `inject()` in tests) pass.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { maybeBaseOf } from './base-request.ts';
import { errorPage } from './plain-pages.ts';

export async function sameOriginForms(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  if (req.method !== 'POST') return;
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== undefined && host === req.headers.host) return;
  return reply
    .code(403)
    .type('text/html; charset=utf-8')
    .send(errorPage('403 Forbidden', `A form from ${origin} may not change this base. Use the base's own web admin.`, maybeBaseOf(req)));
}
