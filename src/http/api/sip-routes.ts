import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { SipServer } from '../../sip/server/sip-server.ts';
import { ERR_SIP_SERVER_NOT_FOUND } from '../../kernel/error-catalogue.ts';
import { REGIONS } from '../../cloud/teams/regions.ts';

/** `lab` (the embedded SIP server) or a Teams region (`noam`, `emea`, `apac`: the gateway's SIP side). */
export const SIP_SERVER_NAMES = ['lab', ...REGIONS.map((r) => r.toLowerCase())];

export function sipServerByName(app: FastifyInstance, name: string): SipServer {
  const telephony = app.lab.telephony;
  if (name === 'lab') return telephony.sip;
  const region = REGIONS.find((r) => r.toLowerCase() === name.toLowerCase());
  const server = region ? telephony.teamsSip.get(region) : undefined;
  if (!server) throw new ERR_SIP_SERVER_NOT_FOUND(name, SIP_SERVER_NAMES.join(', '));
  return server;
}

const serverQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: { type: 'string', enum: SIP_SERVER_NAMES, default: 'lab' },
    method: { type: 'string', pattern: '^[A-Z]{1,16}$', description: 'Only this SIP method, e.g. REGISTER' },
    since: { type: 'number', description: 'Only entries at or after this lab time (epoch ms)' },
    limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
  },
} as const;

/** SIP read-outs: who is registered, and the timeline behind the registration storm view (`/sip/`). */
export const sipRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { server: string } }>(
    '/sip/registrations',
    {
      schema: {
        summary: 'Registrations a SIP server of the lab holds',
        querystring: { type: 'object', additionalProperties: false, properties: { server: serverQuery.properties.server } },
        response: { 200: { type: 'object', properties: { server: { type: 'string' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
      },
    },
    async (req) => ({ server: req.query.server, items: sipServerByName(app, req.query.server).registrations() }),
  );

  app.get<{ Querystring: { server: string; method?: string; since?: number; limit: number } }>(
    '/sip/timeline',
    {
      schema: {
        summary: 'What a SIP server of the lab received and answered, oldest first (e.g. the REGISTER storm after a reboot)',
        querystring: serverQuery,
        response: { 200: { type: 'object', properties: { server: { type: 'string' }, total: { type: 'integer' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
      },
    },
    async (req) => {
      const server = sipServerByName(app, req.query.server);
      const filter = { ...(req.query.method ? { method: req.query.method } : {}), ...(req.query.since !== undefined ? { since: req.query.since } : {}) };
      const items = server.timeline.entries(filter);
      return { server: req.query.server, total: items.length, items: items.slice(-req.query.limit) };
    },
  );
};
