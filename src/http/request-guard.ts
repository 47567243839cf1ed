/**
 * What may reach the lab through the simulator's main server. A browser sends requests to the lab from any page the
 * user has open, so without checks a page from another site could change settings, add handsets or pause the clock:
 *
 * - **Same origin for changes**: a POST/PUT/PATCH/DELETE whose `Origin` names another host (another port counts), or
 *   that the browser marks `Sec-Fetch-Site: cross-site`/`same-site`, is refused (403 `CROSS_ORIGIN_REFUSED`). Scripts
 *   and tests send no `Origin` and pass. The web admin (`/bases/…`) checks its own forms the same way.
 * - **JSON only on the control API**: a change under `/api` with a body must be `application/json` (415), so an HTML
 *   form — which a browser posts cross-site without asking — cannot drive it.
 * - **Host check** (DNS rebinding): while the server listens on loopback, a request must name a loopback host
 *   (`localhost`, `127.x.x.x`, `[::1]`); a page whose own name resolves to 127.0.0.1 cannot talk to it.
 * - **Access token** (`--api-token`, required when listening on anything but loopback): every request but static
 *   files, `/api/health` and the web admin (which has its own login) needs `Authorization: Bearer <token>`, the
 *   `rove-token` cookie, or `?token=<token>` (a page opened that way sets the cookie, so its links and forms work).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERR_CROSS_ORIGIN_REFUSED, ERR_HOST_REFUSED, ERR_JSON_REQUIRED, ERR_TOKEN_REQUIRED, ERR_TOKEN_WRONG } from '../kernel/error-catalogue.ts';

export interface RequestGuardOptions {
  /** The access token every request must carry (see above); none: no token needed. */
  token?: string;
  /** Refuse requests that name a host that is not loopback (the server listens on loopback only). */
  loopbackOnly?: boolean;
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOKEN_COOKIE = 'rove-token';

/** `localhost`, `x.localhost`, `127.0.0.0/8`, `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return lower === 'localhost' || lower.endsWith('.localhost') || lower === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower);
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Paths that need no token: assets, the liveness check, and the web admin (its own login, as on the device). */
function open(path: string): boolean {
  return path.startsWith('/static/') || path === '/api/health' || path.startsWith('/bases/') || path === '/favicon.ico';
}

export const requestGuard = fp(
  async (app: FastifyInstance, options: RequestGuardOptions) => {
    const token = options.token;
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?', 1)[0]!;
      if (options.loopbackOnly && !isLoopbackHost(req.headers.host)) {
        throw new ERR_HOST_REFUSED(req.headers.host ?? '');
      }
      if (token !== undefined && !open(path)) {
        const query = (req.query as Record<string, unknown> | undefined)?.['token'];
        const auth = req.headers.authorization;
        const given = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof query === 'string' ? query : cookieValue(req.headers.cookie, TOKEN_COOKIE);
        if (given === undefined) throw new ERR_TOKEN_REQUIRED();
        if (given !== token) throw new ERR_TOKEN_WRONG();
        if (typeof query === 'string') void reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      }
      if (READ_ONLY.has(req.method) || path.startsWith('/bases/')) return;
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      // An opaque origin ("null": sandboxed frames, data: pages) is never this server.
      const foreign = origin !== undefined && (origin === 'null' || originHost(origin) !== req.headers.host);
      if (foreign || site === 'cross-site' || site === 'same-site') {
        throw new ERR_CROSS_ORIGIN_REFUSED(origin ?? 'another site');
      }
      const type = req.headers['content-type'];
      const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      if (path.startsWith('/api/') && hasBody && !/^application\/json\b/i.test(type ?? '')) {
        throw new ERR_JSON_REQUIRED(type ?? 'without a content type');
      }
    });
  },
  { name: 'request-guard', fastify: '5.x' },
);
