/**
 * Training mode of the simulator's app (`rove-sim train`, and every trainee lab of `rove-sim classroom`): what a
 * trainee must not see is not served. The fault board (`/lab/faults/`, `/api/faults…`) is the instructor's — a
 * troubleshooting exercise is only one if the trainee cannot read the planted fault off a page — so it answers 403
 * `TRAINING_FAULTS_HIDDEN` (a page gets the same words as a page), and the lab overview `/`, which lists the active
 * faults, sends the trainee to their trainee view instead. The control API (`/api/…`) and the checkpoints page
 * (`/lab/checkpoints/`) answer 403 `TRAINING_CONTROL_HIDDEN` too: through them a trainee could change a setting
 * without the web admin, restore a lab where the task is done, or reset a device — none of which a technician can do
 * on real hardware. The instructor resets a trainee from the instructor page.
 *
 * The hook is on the raw path, ahead of every route, so no later route or prefix can reopen the board.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { html } from '../kernel/html.ts';
import { ERR_TRAINING_CONTROL_HIDDEN, ERR_TRAINING_FAULTS_HIDDEN } from '../kernel/error-catalogue.ts';

export interface TrainingModeOptions {
  /** Where `/` sends the trainee: the trainee view. */
  home: string;
  /** Origins that may frame these pages (the trainee view shows the device pages beside its task panel). */
  frameAncestors?: readonly string[];
}

const FAULT_BOARD = /^\/(?:api|lab)\/faults(?:[/?#]|$)/;
/** The control API and the checkpoints page: a trainee could set any setting, restore a solved lab or reset a device there. */
const CONTROL = /^\/(?:api(?:[/?#]|$)|lab\/checkpoints(?:[/?#]|$))/;

function normalPath(url: string): string {
  let path = url;
  try {
    path = decodeURIComponent(url.split('?')[0]!);
  } catch {
    // An undecodable path is judged as it came.
  }
  return path.replace(/\/{2,}/g, '/').toLowerCase();
}

export function isFaultBoardPath(url: string): boolean {
  return FAULT_BOARD.test(normalPath(url));
}

export function isControlPath(url: string): boolean {
  return CONTROL.test(normalPath(url));
}

function refusalPage(message: string): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not for trainees</title><link rel="stylesheet" href="/static/admin/admin.css"></head>
<body class="device plain"><main class="content plain-content"><h1>403 Not for trainees</h1><p class="notice error" role="alert" id="refusal">${message}</p>
<p><a href="/">Back to the trainee view</a></p></main></body></html>`.value;
}

export const trainingMode = fp<TrainingModeOptions>(
  async (app: FastifyInstance, o) => {
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const e = isFaultBoardPath(req.url) ? new ERR_TRAINING_FAULTS_HIDDEN() : isControlPath(req.url) ? new ERR_TRAINING_CONTROL_HIDDEN() : undefined;
      if (!e) return;
      if (req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
        return reply.code(403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(refusalPage(e.message));
      }
      throw e;
    });
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(o.home, 302));
  },
  { name: 'training-mode', fastify: '5.x' },
);
