/**
 * The emulated Microsoft Teams admin center and device login page: one Fastify app, separate from `listen` so tests
 * drive it with `inject()`. `rove-sim start` gives it a port of its own.
 *
 *     /users, /users/<UPN>                       Users
 *     /devices/phones                            Teams devices → Phones (Actions → Provision devices)
 *     /devices/provision                         Provision devices: Waiting on activation / Waiting for sign in
 *     /devices/sip, /devices/sip/<hardware id>   Teams devices → SIP devices, device details
 *     /devices/bulk-sign-in                      the bulk sign-in tool [seed 003]
 *     /voice/calling-policies[/<identity>]       Voice → Calling policies
 *     /locations/network-topology                Trusted IPs and the lab sites' public IPs
 *     /devicelogin                               the device login page (https://microsoft.com/devicelogin)
 */
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { commitBeforeReply } from '../../../kernel/commit-before-reply.ts';
import { pageSecurityHeaders } from '../../../kernel/page-security-headers.ts';
import { html } from '../../../kernel/html.ts';
import { deviceLoginPlugin } from '../device-login/device-login-plugin.ts';
import type { TeamsGateway } from '../gateway.ts';
import { bulkSignInPage } from './bulk-sign-in-page.ts';
import { devicePages } from './device-pages.ts';
import { policyPages } from './policy-pages.ts';
import { provisionPages } from './provision-pages.ts';
import { userPages } from './user-pages.ts';

const TEAMS_WEB_ROOT = fileURLToPath(new URL('../../../../web/teams/', import.meta.url));

export interface AdminCenterOptions {
  gateway: TeamsGateway;
  logger?: boolean;
  /** Commits the lab file before a change is answered (see kernel/commit-before-reply.ts); tests may leave it out. */
  commit?: () => void;
  /** Schema compilers shared with other apps of the process (a classroom's: src/http/shared-schema-compilers.ts). */
  schemaController?: FastifyServerOptions['schemaController'];
  /**
   * Training mode (`rove-sim train`, `rove-sim classroom`): the simulator's notes that explain the "00" + IPEI rule
   * before anyone has made the mistake are left out; Microsoft's own texts and errors stay.
   */
  training?: boolean;
  /** Origins that may frame the pages (the trainee view shows them beside its task panel). */
  frameAncestors?: readonly string[];
}

/** A POST whose `Origin` names another host is refused: another site's page must not change the tenant. */
async function sameOrigin(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  if (req.method !== 'POST' || req.headers.origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(req.headers.origin).host;
  } catch {
    host = undefined;
  }
  if (host === req.headers.host) return;
  return reply.code(403).type('text/plain').send(`403 Forbidden: a form from ${req.headers.origin} may not change this tenant`);
}

function errorPage(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  const message = status >= 500 ? 'Something went wrong (see the simulator log).' : err.message;
  if (status >= 500) reply.log.error(err);
  void reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error - Microsoft Teams admin center</title><link rel="stylesheet" href="/static/teams/tac.css"></head>
<body><main class="tac-main"><div class="banner error" role="alert"><div><strong>${err.code ?? 'Error'}</strong><br>${message}</div></div>
<p><a href="javascript:history.back()">Back</a> · <a href="/devices/provision">Provision devices</a></p></main></body></html>`.value,
    );
}

export async function buildTeamsAdminCenter(options: AdminCenterOptions): Promise<FastifyInstance> {
  const { gateway } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, ...(options.schemaController ? { schemaController: options.schemaController } : {}) });
  app.setErrorHandler(errorPage);
  app.addHook('onRequest', sameOrigin);
  if (options.commit) await app.register(commitBeforeReply, { commit: options.commit });
  await app.register(pageSecurityHeaders, options.frameAncestors ? { frameAncestors: options.frameAncestors } : {});
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { fileSize: gateway.profile.csvMaxBytes, files: 1, parts: 5 } });
  await app.register(fastifyStatic, { root: TEAMS_WEB_ROOT, prefix: '/static/teams/', index: false });
  app.get('/', async (_req, reply) => reply.redirect('/devices/phones'));
  const training = options.training ?? false;
  await app.register(provisionPages, { gateway, training });
  await app.register(devicePages, { gateway });
  await app.register(bulkSignInPage, { gateway, training });
  await app.register(policyPages, { gateway });
  await app.register(userPages, { gateway, training });
  await app.register(deviceLoginPlugin, { gateway });
  return app;
}
