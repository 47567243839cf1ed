/**
 * Headers every page of the simulator carries: no other site may frame it (clickjacking: a trainee's click on a
 * hidden "Reboot" of a framed web admin), browsers must not guess content types, and links do not hand the lab's URLs
 * (which may hold `?token=`) to other sites. A CSP limited to `frame-ancestors` leaves the pages' own inline styles
 * and scripts working.
 *
 * `frameAncestors` names the origins that may frame the pages instead (the trainee view of training mode shows the
 * device pages beside its task panel); X-Frame-Options is then left out, as it cannot name another origin.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export interface PageSecurityOptions {
  /** Origins (`http://host:port`) allowed to frame the pages, besides the pages' own. */
  frameAncestors?: readonly string[];
}

export const pageSecurityHeaders = fp<PageSecurityOptions>(
  async (app: FastifyInstance, o) => {
    const headers: Record<string, string> = { ...PAGE_SECURITY_HEADERS };
    if (o.frameAncestors?.length) {
      delete headers['x-frame-options'];
      headers['content-security-policy'] = `frame-ancestors 'self' ${o.frameAncestors.join(' ')}`;
    }
    app.addHook('onSend', async (_req, reply, payload) => {
      for (const [name, value] of Object.entries(headers)) if (!reply.hasHeader(name)) void reply.header(name, value);
      return payload;
    });
  },
  { name: 'page-security-headers', fastify: '5.x' },
);
