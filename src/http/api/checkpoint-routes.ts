/**
 * Checkpoints of the running lab and factory reset of one device (src/live/checkpoints.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { deleteCheckpoint, factoryReset, listCheckpoints, restoreCheckpoint, saveCheckpoint } from '../../live/checkpoints.ts';

const checkpoint = {
  type: 'object',
  properties: { name: { type: 'string' }, at: { type: 'number', description: 'Lab time when saved (epoch ms)' }, bytes: { type: 'integer' } },
} as const;
const nameParam = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;

export const checkpointRoutes: FastifyPluginAsync = async (app) => {
  app.get('/checkpoints', { schema: { summary: 'Checkpoints saved in the lab file', response: { 200: { type: 'array', items: checkpoint } } } }, async () =>
    listCheckpoints(app.lab.store),
  );
  app.post<{ Body: { name: string } }>(
    '/checkpoints',
    {
      schema: {
        summary: 'Save the lab now under a name (replaces a checkpoint of that name)',
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[\\w.-]{1,64}$' } } },
        response: { 201: checkpoint },
      },
    },
    async (req, reply) => reply.code(201).send(saveCheckpoint(app.lab, req.body.name)),
  );
  app.post<{ Params: { name: string } }>(
    '/checkpoints/:name/restore',
    {
      schema: {
        summary: 'Restore a checkpoint: documents back, every device reloaded (powered devices power-cycle), faults cleared',
        params: nameParam,
        response: { 200: checkpoint },
      },
    },
    async (req) => restoreCheckpoint(app.lab, req.params.name),
  );
  app.delete<{ Params: { name: string } }>(
    '/checkpoints/:name',
    { schema: { summary: 'Delete a checkpoint', params: nameParam, response: { 204: { type: 'null' } } } },
    async (req, reply) => {
      deleteCheckpoint(app.lab.store, req.params.name);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: { id: string } }>(
    '/devices/:id/factory-reset',
    {
      schema: {
        summary: 'Factory reset of one base (MAC, must be running) or handset (IPEI)',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: { type: 'object', properties: { kind: { type: 'string', enum: ['base', 'handset'] }, id: { type: 'string' } } } },
      },
    },
    async (req) => factoryReset(app.lab, req.params.id),
  );
};
