/**
 * The base's embedded web admin (placeholder: replaced by the full web admin).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Lab } from '../lab/lab.ts';

export interface WebAdminOptions {
  lab: Lab;
}

export const webAdminPlugin: FastifyPluginAsync<WebAdminOptions> = async (app, { lab }) => {
  app.get('/:mac/', async (req, reply) => {
    const base = lab.getBase((req.params as { mac: string }).mac);
    if (!base) return reply.code(404).send('unknown base');
    return reply.type('text/html').send(`<h1>Rove ${base.flash.model} ${base.mac}</h1>`);
  });
};
