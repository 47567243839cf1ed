/**
 * The classroom's own server (`--port`): the login page every trainee and the instructor start from, and the
 * instructor's pages and actions. Separate from `listen` so tests drive it with `inject()`.
 *
 * - `GET /`, `POST /login`, `POST /logout`: a trainee's login sets their cookie (`rove-trainee-<login>`) and sends them
 *   to their trainee view; the instructor's (`instructor` + the instructor password) sets `rove-instructor`. Failed
 *   logins are throttled per login and per source (login-throttle.ts): 429 `CLASSROOM_LOGIN_THROTTLED` says when to
 *   try again.
 * - `/instructor/…` (instructor only; 401 `CLASSROOM_INSTRUCTOR_ONLY`, a page redirects to the login):
 *   `GET /instructor/` the page, `GET classroom.json` every trainee now, `GET results.csv`, `GET results.json`,
 *   `POST trainees/:login/reset` `{ checkpoint }`, `POST trainees/:login/extend` `{ minutes }`,
 *   `GET trainees/:login/events.jsonl`, and the replay viewer of that log at `trainees/:login/replay/`.
 */
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { WEB_ROOT } from '../http/build-app.ts';
import { errorHandler } from '../http/error-handler.ts';
import { requestGuard } from '../http/request-guard.ts';
import { pageSecurityHeaders } from '../kernel/page-security-headers.ts';
import type { SimError } from '../kernel/errors.ts';
import { parseEventLog } from '../rehearsal/event-log-reader.ts';
import { MAX_LOG_BYTES, replayPayload } from '../rehearsal/replay/replay-plugin.ts';
import { renderReplayPage } from '../rehearsal/replay/replay-page.ts';
import { ERR_CHECKPOINT_NOT_FOUND, ERR_CLASSROOM_EXTEND_INVALID, ERR_CLASSROOM_INSTRUCTOR_ONLY, ERR_CLASSROOM_LOGIN_THROTTLED, ERR_CLASSROOM_LOGIN_WRONG, ERR_EVENT_LOG_INVALID } from '../kernel/error-catalogue.ts';
import { cookieValue, INSTRUCTOR_COOKIE, traineeCookie } from './access-gate.ts';
import { type ClassroomState, sameSession, secretMatches } from './classroom-state.ts';
import { instructorPage, loginPage } from './classroom-pages.ts';
import { type ClassroomResults, resultsCsv } from './results.ts';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, type LoginThrottleRule } from './login-throttle.ts';
import { INSTRUCTOR_LOGIN } from './roster.ts';
import { roomOf, START_CHECKPOINT, type TraineeRoom } from './trainee-room.ts';

export interface ClassroomAppOptions {
  title: string;
  state: ClassroomState;
  /** Rooms by login (filled as they open). */
  rooms: ReadonlyMap<string, TraineeRoom>;
  /** Refuse requests naming a host that is not loopback (the classroom listens on loopback). */
  loopbackOnly?: boolean;
  /** The server's clock for the login throttle (default: real time; tests step their own). */
  now?: () => number;
  /** How many failed logins in how long are let through (default 10 a minute, per login and per source). */
  loginThrottle?: Partial<LoginThrottleRule>;
}

const COOKIE_FLAGS = 'Path=/; HttpOnly; SameSite=Strict';
const LOGIN_SCHEMA = {
  type: 'object',
  properties: { login: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 200 } },
  required: ['login', 'password'],
} as const;
const LOGIN_PARAMS = { type: 'object', properties: { login: { type: 'string', maxLength: 64 } }, required: ['login'] } as const;

export async function buildClassroomApp(o: ClassroomAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setErrorHandler(errorHandler);
  await app.register(requestGuard, { loopbackOnly: o.loopbackOnly ?? false });
  await app.register(pageSecurityHeaders);
  await app.register(fastifyFormbody);
  await app.register(fastifyStatic, { root: path.resolve(WEB_ROOT), prefix: '/static/', index: false });

  const now = o.now ?? (() => Date.now());
  const throttle = new LoginThrottle(now, { ...DEFAULT_LOGIN_THROTTLE, ...o.loginThrottle });
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  app.get<{ Querystring: { trainee?: string; out?: string } }>(
    '/',
    { schema: { querystring: { type: 'object', properties: { trainee: { type: 'string', maxLength: 64 }, out: { type: 'string', maxLength: 8 } } } } },
    async (req, reply) => html(reply, loginPage({ title: o.title, ...(req.query.trainee ? { trainee: req.query.trainee } : {}), ...(req.query.out ? { loggedOut: true } : {}) })),
  );

  app.post<{ Body: { login: string; password: string } }>('/login', { schema: { body: LOGIN_SCHEMA } }, async (req, reply) => {
    const login = req.body.login.trim().toLowerCase();
    const wantsJson = /application\/json/.test(req.headers['content-type'] ?? '');
    const answer = (e: SimError, error: string) =>
      wantsJson
        ? reply.code(e.statusCode).send({ statusCode: e.statusCode, code: e.code, error, message: e.message })
        : html(reply, loginPage({ title: o.title, trainee: login, error: e.message }), e.statusCode);
    const throttled = throttle.check(login, req.ip);
    if (throttled) {
      const seconds = Math.max(1, Math.ceil((throttled.retryAt - now()) / 1000));
      void reply.header('retry-after', String(seconds));
      return answer(new ERR_CLASSROOM_LOGIN_THROTTLED(throttled.who, seconds, `${new Date(throttled.retryAt).toISOString().slice(11, 19)} UTC`), 'Too Many Requests');
    }
    const refuse = () => {
      throttle.recordFailure(login, req.ip);
      return answer(new ERR_CLASSROOM_LOGIN_WRONG(), 'Unauthorized');
    };
    if (login === INSTRUCTOR_LOGIN) {
      if (!secretMatches(req.body.password, o.state.instructor.password)) return refuse();
      throttle.recordSuccess(login);
      void reply.header('set-cookie', `${INSTRUCTOR_COOKIE}=${o.state.instructor.session}; ${COOKIE_FLAGS}`);
      return wantsJson ? { login, next: '/instructor/' } : reply.redirect('/instructor/', 303);
    }
    const trainee = o.state.trainees.find((t) => t.login === login);
    if (!trainee || !secretMatches(req.body.password, trainee.password)) return refuse();
    throttle.recordSuccess(login);
    const room = o.rooms.get(login);
    void reply.header('set-cookie', `${traineeCookie(login)}=${trainee.session}; ${COOKIE_FLAGS}`);
    const next = room?.urls.taskPanel ?? '/';
    return wantsJson ? { login, next } : reply.redirect(next, 303);
  });

  app.post('/logout', async (req, reply) => {
    const gone = 'Max-Age=0';
    const cookies = [`${INSTRUCTOR_COOKIE}=; ${COOKIE_FLAGS}; ${gone}`, ...o.state.trainees.filter((t) => cookieValue(req.headers.cookie, traineeCookie(t.login)) !== undefined).map((t) => `${traineeCookie(t.login)}=; ${COOKIE_FLAGS}; ${gone}`)];
    void reply.header('set-cookie', cookies);
    return reply.redirect('/?out=1', 303);
  });

  await app.register(
    async (instructor) => {
      instructor.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        if (sameSession(cookieValue(req.headers.cookie, INSTRUCTOR_COOKIE), o.state.instructor.session)) return;
        if (req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) return reply.redirect('/', 302);
        throw new ERR_CLASSROOM_INSTRUCTOR_ONLY('/');
      });
      const statuses = async () => Promise.all([...o.rooms.values()].map((r) => r.status()));
      const results = async (): Promise<ClassroomResults> => ({ exercise: o.title, exportedAt: new Date().toISOString(), trainees: await statuses() });

      instructor.get('/', async (_req, reply) => html(reply, instructorPage({ title: o.title, trainees: o.state.trainees.length })));
      instructor.get('/classroom.json', async (_req, reply) => reply.header('cache-control', 'no-store').send(await results()));
      instructor.get('/results.json', async (_req, reply) =>
        reply.header('content-disposition', 'attachment; filename="results.json"').send(await results()),
      );
      instructor.get('/results.csv', async (_req, reply) =>
        reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="results.csv"').send(resultsCsv(await results())),
      );
      instructor.post<{ Params: { login: string }; Body: { checkpoint?: string } }>(
        '/trainees/:login/reset',
        { schema: { params: LOGIN_PARAMS, body: { type: 'object', additionalProperties: false, properties: { checkpoint: { type: 'string', maxLength: 64 } } } } },
        async (req) => {
          const room = roomOf(o.rooms, req.params.login);
          const checkpoint = req.body?.checkpoint ?? START_CHECKPOINT;
          if (!room.checkpoints().includes(checkpoint)) throw new ERR_CHECKPOINT_NOT_FOUND(checkpoint, room.checkpoints().join(', ') || 'none');
          await room.reset(checkpoint);
          return { login: room.trainee.login, checkpoint, message: `${room.trainee.name}'s lab is back at checkpoint "${checkpoint}"; its devices power on again.` };
        },
      );
      instructor.post<{ Params: { login: string }; Body: { minutes: number } }>(
        '/trainees/:login/extend',
        { schema: { params: LOGIN_PARAMS, body: { type: 'object', additionalProperties: false, properties: { minutes: { type: 'number' } }, required: ['minutes'] } } },
        async (req) => {
          const room = roomOf(o.rooms, req.params.login);
          const { minutes } = req.body;
          if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) throw new ERR_CLASSROOM_EXTEND_INVALID();
          room.extend(minutes * 60_000);
          return { login: room.trainee.login, extensionMs: room.timing().extensionMs, message: `${room.trainee.name} has ${minutes} more minutes.` };
        },
      );
      instructor.get<{ Params: { login: string } }>('/trainees/:login/events.jsonl', { schema: { params: LOGIN_PARAMS } }, async (req, reply) => {
        const room = roomOf(o.rooms, req.params.login);
        return reply
          .type('application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="${room.trainee.login}.events.jsonl"`)
          .send(room.events.text());
      });
      // The replay viewer of the trainee's log, as the simulator's /replay/ with the log already open.
      instructor.get<{ Params: { login: string } }>('/trainees/:login/replay', { schema: { params: LOGIN_PARAMS } }, async (req, reply) => reply.redirect(`${req.params.login}/replay/`, 301));
      instructor.get<{ Params: { login: string } }>('/trainees/:login/replay/', { schema: { params: LOGIN_PARAMS } }, async (req, reply) => {
        const room = roomOf(o.rooms, req.params.login);
        return html(reply, renderReplayPage({ prefix: `/instructor/trainees/${room.trainee.login}/replay`, speed: 60, hasLog: true }));
      });
      instructor.get<{ Params: { login: string } }>('/trainees/:login/replay/events.json', { schema: { params: LOGIN_PARAMS } }, async (req) => {
        const room = roomOf(o.rooms, req.params.login);
        return replayPayload(`${room.trainee.name} (${room.trainee.login})`, room.events.read());
      });
      instructor.post<{ Params: { login: string }; Querystring: { name?: string }; Body: string }>(
        '/trainees/:login/replay/open',
        { bodyLimit: MAX_LOG_BYTES, schema: { params: LOGIN_PARAMS, querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 200 } } } } },
        async (req) => {
          if (typeof req.body !== 'string') throw new ERR_EVENT_LOG_INVALID();
          const name = req.query.name || 'events.jsonl';
          return replayPayload(name, parseEventLog(req.body, name));
        },
      );
    },
    { prefix: '/instructor' },
  );
  return app;
}
