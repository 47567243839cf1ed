/**
 * The emulated Teams SIP Gateway provisioning service on `{noam,emea,apac}.ipp.sdg.teams.microsoft.com`.
 *
 * This first slice answers as a provisioning server does for a device it has never heard of: `404` for a device file.
 * The Teams gateway issue fills in onboarding, enrollment and sign-in.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export const TEAMS_PROVISIONING_HOSTS = [
  'noam.ipp.sdg.teams.microsoft.com',
  'emea.ipp.sdg.teams.microsoft.com',
  'apac.ipp.sdg.teams.microsoft.com',
] as const;

export function buildProvisioningService(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/*', async (req, reply) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const urlPath = new URL(req.url, 'http://x').pathname;
    if (urlPath === '/' || /^\/lang_[a-z]{2}\/?$/.test(urlPath)) {
      return reply.type('text/plain').send(`Microsoft Teams SIP Gateway provisioning service (${host}, emulated)\n`);
    }
    return reply.code(404).type('text/plain').send('404 Not Found: device is not known to this provisioning service\n');
  });
  return app;
}
