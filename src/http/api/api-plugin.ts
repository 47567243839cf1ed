/**
 * The control API (JSON): lets scripts, scenarios and tests drive the lab. Every route has a schema; the whole API is
 * described at `/api/openapi.json`.
 */
import type { FastifyPluginAsync } from 'fastify';
import { baseRoutes } from './base-routes.ts';
import { checkpointRoutes } from './checkpoint-routes.ts';
import { clockRoutes } from './clock-routes.ts';
import { faultRoutes } from './fault-routes.ts';
import { handsetRoutes } from './handset-routes.ts';
import { sipRoutes } from './sip-routes.ts';

export const apiPlugin: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness check',
        response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  await app.register(clockRoutes);
  await app.register(baseRoutes);
  await app.register(handsetRoutes);
  await app.register(sipRoutes);
  await app.register(faultRoutes);
  await app.register(checkpointRoutes);
  app.get(
    '/internet',
    {
      schema: {
        summary: 'Emulated internet: host names the devices resolve, and the latest requests they made',
        response: {
          200: {
            type: 'object',
            properties: {
              hosts: { type: 'array', items: { type: 'object', additionalProperties: true } },
              requests: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    async () => ({ hosts: app.lab.internet.listHosts(), requests: app.lab.internet.requestLog() }),
  );
};
