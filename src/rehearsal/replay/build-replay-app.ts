/**
 * The app of `rove-sim replay LOG --serve`: only the replay viewer (`/replay/`, with the log given) and the static
 * assets it needs. Separate from `listen` (`serve-replay.ts`) so tests drive it with `inject()`.
 */
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { EventLog } from '../event-log-reader.ts';
import { errorHandler } from '../../http/error-handler.ts';
import { replayPlugin, type ReplaySpeed } from './replay-plugin.ts';

const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

export interface ReplayAppOptions {
  /** The log and the name it is shown with (the file's name). */
  log: EventLog;
  name: string;
  /** Speed selected when the page opens; default ×600. */
  speed?: ReplaySpeed;
  logger?: boolean;
}

export async function buildReplayApp(options: ReplayAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  app.setErrorHandler(errorHandler);
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/static/', index: false });
  await app.register(replayPlugin, {
    prefix: '/replay',
    log: { name: options.name, log: options.log },
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/replay/', 302));
  return app;
}
