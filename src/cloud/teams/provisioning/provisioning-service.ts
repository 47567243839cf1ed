/**
 * The emulated Teams SIP Gateway provisioning service on `{noam,emea,apac}.ipp.sdg.teams.microsoft.com` (plain http).
 *
 * URL forms (the file name last; `lang_xx` and `tenantid/<guid>` in either order before it) [seed 000, 001, 003]:
 *
 *     /000087654321.cfg
 *     /lang_de/000087654321.cfg
 *     /tenantid/8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b/000087654321.cfg
 *     /lang_de/tenantid/8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b/000087654321.cfg
 *
 * The region is the host the device asked (the `Host` header). The answer depends on the device's state in that
 * region: see `TeamsGateway.provisioningFileFor` and docs/teams-gateway.md.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TeamsGateway } from '../gateway.ts';
import { PROVISIONING_HOST, REGIONS, regionOfHost } from '../regions.ts';

export const TEAMS_PROVISIONING_HOSTS = REGIONS.map((r) => PROVISIONING_HOST[r]);

export interface ProvisioningServiceOptions {
  /** The gateway whose devices this service provisions; without one every device file is 404 (no tenant at all). */
  gateway?: TeamsGateway;
}

export interface ProvisioningPath {
  fileName: string;
  lang?: string;
  tenantId?: string;
}

/** Splits a request path into its parts, or undefined when it is not one of the URL forms above. */
export function parseProvisioningPath(pathname: string): ProvisioningPath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  const fileName = parts.pop();
  if (!fileName) return undefined;
  const result: ProvisioningPath = { fileName };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const lang = /^lang_([A-Za-z]{2})$/.exec(part);
    if (lang && result.lang === undefined) result.lang = lang[1]!.toLowerCase();
    else if (part.toLowerCase() === 'tenantid' && result.tenantId === undefined && parts[i + 1] !== undefined) result.tenantId = parts[++i]!;
    else return undefined;
  }
  return result;
}

/** The MAC a Rove base puts at the end of its User-Agent (`RoveB4 8.0.3.0009 0004F2A00001`), if any. */
export function baseMacOf(userAgent: string | undefined): string | undefined {
  const m = /^Rove\S* \S+ ([0-9A-Fa-f]{12})$/.exec((userAgent ?? '').trim());
  return m?.[1]?.toUpperCase();
}

/**
 * Non-empty segments of letters, digits, `-` and `_`, the last with an optional `.ext`: what devices ask for. Such a
 * path is its own pathname (no dot segments, nothing to encode or decode), so it skips the URL parser.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)*\/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)?$/;

/** The decoded pathname of a request URL. */
function pathOf(url: string): string {
  return PLAIN_PATH.test(url) ? url : decodeURIComponent(new URL(url, 'http://x').pathname);
}

export function buildProvisioningService(options: ProvisioningServiceOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/*', async (req, reply) => {
    const host = (req.headers.host ?? '').split(':')[0];
    const urlPath = pathOf(req.url);
    if (urlPath === '/' || /^\/lang_[a-z]{2}\/?$/i.test(urlPath)) {
      return reply.type('text/plain').send(`Microsoft Teams SIP Gateway provisioning service (${host}, emulated)\n`);
    }
    const parsed = parseProvisioningPath(urlPath);
    const region = regionOfHost(req.headers.host);
    const device = parsed && /^([0-9A-Fa-f]{12})\.cfg$/.exec(parsed.fileName)?.[1];
    if (!parsed || !device || !region || !options.gateway) {
      return reply.code(404).type('text/plain').send('404 Not Found: device is not known to this provisioning service\n');
    }
    const answer = options.gateway.handleProvisioningRequest(device, region, parsed.lang, parsed.tenantId, baseMacOf(req.headers['user-agent']));
    return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.body);
  });
  return app;
}
