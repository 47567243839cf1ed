/**
 * The replay viewer's routes, the same in the simulator (`buildApp`) and in `rove-sim replay LOG --serve`
 * (`buildReplayApp`), under `/replay`:
 *
 * - `GET /replay/`: the viewer page (client code in `web/replay/`, served from `/static/replay/`).
 * - `GET /replay/events.json`: the log the server was started with (404 `REPLAY_NO_LOG` in the simulator).
 * - `POST /replay/open?name=FILE` with the log as `text/plain`: a log opened in the page (a bug report's attachment),
 *   checked by the same reader as the command line; 400 `EVENT_LOG_INVALID` with every problem and its line.
 *
 * Both answers are {@link ReplayPayload}: the header and the events, each `base rebooting` with its cause as the
 * report groups them. State at a lab time is computed in the browser (`web/replay/replay-state.js`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { parseEventLog, type EventLog, type EventLogHeader } from '../event-log-reader.ts';
import type { LabEvent } from '../recorder.ts';
import { causeOf } from '../report.ts';
import { ERR_EVENT_LOG_INVALID, ERR_REPLAY_NO_LOG } from '../../kernel/error-catalogue.ts';
import { renderReplayPage } from './replay-page.ts';

/** 100,000 events (a full-scale run) are about 8 MB; room for longer runs. */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

export type ReplaySpeed = 'max' | number;

export interface ReplayPluginOptions {
  /** The log shown when the page opens (`--serve`); without one the page asks for a file. */
  log?: { name: string; log: EventLog };
  /** Speed selected when the page opens (lab ms per real ms); default ×600. */
  speed?: ReplaySpeed;
}

export interface ReplayPayload {
  name: string;
  header: EventLogHeader;
  events: Array<LabEvent & { cause?: string }>;
}

export function replayPayload(name: string, log: EventLog): ReplayPayload {
  return {
    name,
    header: log.header,
    events: log.events.map((e) => (e.kind === 'base' && e.state === 'rebooting' ? { ...e, cause: causeOf(e.reason ?? 'Reboot') } : e)),
  };
}

export const replayPlugin: FastifyPluginAsync<ReplayPluginOptions> = async (app, options) => {
  const payload = options.log ? replayPayload(options.log.name, options.log.log) : undefined;
  const speed = options.speed ?? 600;
  const prefix = app.prefix;

  app.get('', { schema: { hide: true } }, async (_req, reply) => reply.redirect(`${prefix}/`, 301));
  app.get('/', { schema: { hide: true }, prefixTrailingSlash: 'slash' }, async (_req, reply) =>
    reply.type('text/html').send(renderReplayPage({ prefix, speed, hasLog: payload !== undefined })),
  );

  app.get('/events.json', { schema: { hide: true } }, async () => {
    if (!payload) throw new ERR_REPLAY_NO_LOG();
    return payload;
  });

  app.post<{ Querystring: { name?: string }; Body: string }>(
    '/open',
    {
      bodyLimit: MAX_LOG_BYTES,
      schema: {
        hide: true,
        querystring: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 } } },
      },
    },
    async (req) => {
      if (typeof req.body !== 'string') throw new ERR_EVENT_LOG_INVALID();
      const name = req.query.name || 'events.jsonl';
      return replayPayload(name, parseEventLog(req.body, name));
    },
  );
};
