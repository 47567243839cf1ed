/**
 * The trainee view (`/training/` on the trainee's main port, for `rove-sim train` and every classroom trainee): the
 * task panel beside the trainee's device pages (trainee-view-page.ts), live from `status.json`.
 *
 * - `GET /training/`: the view;
 * - `GET /training/status.json`: what the view shows now (trainee-view-status.ts), polled every second;
 * - `POST /training/check`: Check — graded now, remembered (tasks not done show as failed from then on) and written in
 *   the trainee's event log; JSON asked for: the status, else back to the view;
 * - `POST /training/hints/:task` with `confirm=yes`: the task's hint, shown from then on and costing its points;
 *   without `confirm` 400 `TRAINING_HINT_UNCONFIRMED`, a task without a hint 404 `TRAINING_HINT_NOT_FOUND`;
 * - `POST /training/answers/:task` with `answer`: the trainee's answer to the task's question, kept in the lab file
 *   (a choice's number or words, or a number); 400 `ANSWER_INVALID` saying what to answer, 404 `ANSWER_NO_QUESTION`.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ERR_TRAINING_HINT_NOT_FOUND, ERR_TRAINING_HINT_UNCONFIRMED } from '../kernel/error-catalogue.ts';
import { hintCost } from '../training/check-engine.ts';
import type { TrainingSession } from './trainee-session.ts';
import { traineeViewPage } from './trainee-view-page.ts';
import { viewStatus } from './trainee-view-status.ts';

export interface TraineeViewOptions {
  session: () => TrainingSession;
}

const wantsJson = (req: FastifyRequest) => /application\/json/.test(req.headers.accept ?? '');
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export const traineeViewPlugin: FastifyPluginAsync<TraineeViewOptions> = async (app, { session }) => {
  const status = () => {
    const s = session();
    return viewStatus(s, s.now());
  };

  app.get<{ Querystring: { checked?: string; hint?: string; answered?: string } }>(
    '/',
    {
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { checked: { type: 'string', maxLength: 8 }, hint: { type: 'string', maxLength: 64 }, answered: { type: 'string', maxLength: 64 } } },
      },
    },
    async (req, reply) => {
      const s = session();
      const notice =
        req.query.checked !== undefined
          ? 'Checked.'
          : req.query.hint !== undefined
            ? 'The hint is shown with its task.'
            : req.query.answered !== undefined
              ? 'Your answer is kept.'
              : undefined;
      const page = traineeViewPage({ exercise: s.exercise, status: await viewStatus(s, s.now()), urls: s.urls, ...(notice ? { notice } : {}) });
      return noStore(reply).type('text/html; charset=utf-8').send(page);
    },
  );

  app.get('/status.json', { schema: { hide: true } }, async (_req, reply) => noStore(reply).send(await status()));

  app.post('/check', { schema: { hide: true } }, async (req, reply) => {
    await session().check();
    return wantsJson(req) ? noStore(reply).send(await status()) : reply.redirect('./?checked=1', 303);
  });

  app.post<{ Params: { task: string }; Body: { confirm?: string } | undefined }>(
    '/hints/:task',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { task: { type: 'string', maxLength: 64 } }, required: ['task'] },
        body: { type: ['object', 'null'], properties: { confirm: { type: 'string', maxLength: 8 } } },
      },
    },
    async (req, reply) => {
      const s = session();
      const task = s.exercise.tasks.find((t) => t.id === req.params.task);
      if (!task?.hint) {
        throw new ERR_TRAINING_HINT_NOT_FOUND(req.params.task, s.exercise.tasks.filter((t) => t.hint).map((t) => t.id).join(', ') || 'none');
      }
      if (req.body?.confirm !== 'yes' && !s.meta.hintsUsed.includes(task.id)) throw new ERR_TRAINING_HINT_UNCONFIRMED(task.id, hintCost(task));
      s.useHint(task.id);
      if (wantsJson(req)) return noStore(reply).send(await status());
      return reply.redirect(`../?hint=${encodeURIComponent(task.id)}#task-${encodeURIComponent(task.id)}`, 303);
    },
  );

  app.post<{ Params: { task: string }; Body: { answer: string } }>(
    '/answers/:task',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { task: { type: 'string', maxLength: 64 } }, required: ['task'] },
        body: { type: 'object', properties: { answer: { type: 'string', maxLength: 200 } }, required: ['answer'] },
      },
    },
    async (req, reply) => {
      session().answer(req.params.task, req.body.answer);
      if (wantsJson(req)) return noStore(reply).send(await status());
      return reply.redirect(`../?answered=${encodeURIComponent(req.params.task)}#task-${encodeURIComponent(req.params.task)}`, 303);
    },
  );
};
