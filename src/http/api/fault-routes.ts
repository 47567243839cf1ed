/**
 * Faults in a running lab (src/live/faults/): the catalogue, the active faults, inject and undo.
 */
import type { FastifyPluginAsync } from 'fastify';
import { faultsOf, type FaultRequest } from '../../live/faults/fault-board.ts';
import { FAULT_CATALOGUE, FAULT_TYPES } from '../../live/faults/fault-types.ts';

const activeFault = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    bases: { type: 'array', items: { type: 'string' } },
    handsets: { type: 'array', items: { type: 'string' } },
    site: { type: ['string', 'null'] },
    since: { type: 'number', description: 'Lab time of injection (epoch ms)' },
    until: { type: ['number', 'null'], description: 'Lab time it clears by itself' },
  },
} as const;

export const faultRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/faults',
    {
      schema: {
        summary: 'The fault catalogue and the faults active now',
        response: {
          200: {
            type: 'object',
            properties: {
              catalogue: { type: 'array', items: { type: 'object', additionalProperties: true } },
              active: { type: 'array', items: activeFault },
            },
          },
        },
      },
    },
    async () => ({ catalogue: FAULT_CATALOGUE, active: faultsOf(app.lab).list() }),
  );
  app.post<{ Body: FaultRequest }>(
    '/faults',
    {
      schema: {
        summary: 'Inject a fault (undo with DELETE /api/faults/:id)',
        body: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: [...FAULT_TYPES] },
            id: { type: 'string', pattern: '^[\\w.-]{1,64}$' },
            bases: { type: 'array', items: { type: 'string' }, description: 'Base MACs' },
            handsets: { type: 'array', items: { type: 'string' }, description: 'Handset IPEIs' },
            site: { type: 'string' },
            mode: { type: 'string', enum: ['error', 'timeout'] },
            status: { type: 'integer', minimum: 500, maximum: 599 },
            file: { type: 'string' },
            configUrl: { type: 'string' },
            publicIp: { type: 'string' },
            server: { type: 'string', description: 'sip-server: lab, teams or a registrar host (default all)' },
            region: { type: 'string', enum: ['NOAM', 'EMEA', 'APAC'], description: 'sip-server: that Teams region only' },
            during: { type: 'string', enum: ['download', 'install'], description: 'base-power-loss: cut each base when it reaches this firmware update phase' },
            durationMs: { type: 'integer', minimum: 1 },
          },
        },
        response: { 201: activeFault },
      },
    },
    async (req, reply) => reply.code(201).send(faultsOf(app.lab).inject(req.body)),
  );
  app.delete<{ Params: { id: string } }>(
    '/faults/:id',
    {
      schema: {
        summary: 'Undo a fault',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: activeFault },
      },
    },
    async (req) => faultsOf(app.lab).clear(req.params.id),
  );
};
