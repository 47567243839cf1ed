/**
 * The simulator's HTTP app: control API (`/api`), each base's web admin (`/bases/<MAC>/`), handset consoles
 * (`/consoles/<IPEI>` WebSocket, `/handsets/` pages), static assets (`/static`), the lab overview and the trainer's
 * faults and checkpoints pages (`/lab/faults/`, `/lab/checkpoints/`), and the replay viewer of a run's event log
 * (`/replay/`). Separate from `listen` so tests drive it with `inject()` and `injectWS()`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { apiPlugin } from './api/api-plugin.ts';
import { teamsRoutes } from './api/teams-routes.ts';
import { consolePlugin } from './console/console-plugin.ts';
import type { Lab } from '../lab/lab.ts';
import { replayPlugin } from '../rehearsal/replay/replay-plugin.ts';
import { webAdminPlugin } from '../devices/base-station/web-admin/web-admin-plugin.ts';
import { landingPlugin } from './pages/landing-page.ts';
import { sipPagePlugin } from './pages/sip-page.ts';
import { faultsPagePlugin } from './pages/faults-page.ts';
import { checkpointsPagePlugin } from './pages/checkpoints-page.ts';
import { errorHandler } from './error-handler.ts';
import { commitBeforeReply } from '../kernel/commit-before-reply.ts';
import { pageSecurityHeaders } from '../kernel/page-security-headers.ts';
import { requestGuard, type RequestGuardOptions } from './request-guard.ts';
import { trainingMode, type TrainingModeOptions } from './training-mode.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

export interface AppOptions {
  lab: Lab;
  /** Fastify logging (off in tests). */
  logger?: boolean;
  /** URL of each base's own web server when it listens on a port of its own (set by `start`). */
  baseUrls?: Map<string, string>;
  /** Access token and host checks (request-guard.ts; `start` turns the loopback host check on); default: neither. */
  guard?: RequestGuardOptions;
  /** Schema compilers shared with other apps of the process (a classroom's: shared-schema-compilers.ts). */
  schemaController?: FastifyServerOptions['schemaController'];
  /**
   * Training mode (`rove-sim train`, `rove-sim classroom`): the web admin without the simulator's hint column, the
   * fault board refused and `/` sent to the trainee view (training-mode.ts). Outside it nothing changes.
   */
  training?: TrainingModeOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    lab: Lab;
    /** Where a person reaches a base's web admin. */
    webAdminUrl(mac: string): string;
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, ...(options.schemaController ? { schemaController: options.schemaController } : {}) });
  app.decorate('lab', options.lab);
  app.decorate('webAdminUrl', (mac: string) => options.baseUrls?.get(mac) ?? `/bases/${mac}/`);
  app.setErrorHandler(errorHandler);
  await app.register(requestGuard, options.guard ?? {});
  await app.register(pageSecurityHeaders, options.training?.frameAncestors ? { frameAncestors: options.training.frameAncestors } : {});
  if (options.training) await app.register(trainingMode, options.training);
  await app.register(commitBeforeReply, { commit: () => options.lab.commit() });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Rove Simulator control API',
        description:
          'Drive the simulated Rove IP DECT lab: clock, base stations, handsets, SIP, the Teams SIP Gateway, faults and checkpoints. ' +
          'Changes take JSON bodies (content-type: application/json) and are answered once saved in the lab file; a change from a page of another origin is refused (403). ' +
          'When the simulator runs with --api-token (required when it listens on anything but loopback), every route but /api/health needs "Authorization: Bearer <token>".',
        version: '0.1.0',
      },
      components: { securitySchemes: { apiToken: { type: 'http', scheme: 'bearer', description: 'The --api-token given to rove-sim start (only when it was given one)' } } },
      security: [{ apiToken: [] }, {}],
    },
  });
  await app.register(fastifyFormbody);
  // Console frames over 4 KiB get an error frame (console-protocol.ts); ws itself closes (1009) only past 1 MiB.
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(fastifyStatic, { root: path.resolve(WEB_ROOT), prefix: '/static/', index: false });
  await app.register(apiPlugin, { prefix: '/api' });
  await app.register(teamsRoutes, { prefix: '/api/teams', gateway: options.lab.teams });
  await app.register(webAdminPlugin, { prefix: '/bases', lab: options.lab.surroundings(), training: options.training !== undefined });
  await app.register(consolePlugin);
  if (!options.training) await app.register(landingPlugin);
  await app.register(sipPagePlugin);
  await app.register(replayPlugin, { prefix: '/replay' });
  if (!options.training) await app.register(faultsPagePlugin);
  await app.register(checkpointsPagePlugin);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
