import type { FastifyPluginAsync } from 'fastify';
import { ERR_CLOCK_ADVANCE_INVALID } from '../../kernel/error-catalogue.ts';

const clockState = {
  type: 'object',
  properties: {
    now: { type: 'number', description: 'Virtual epoch milliseconds' },
    iso: { type: 'string' },
    speed: { type: 'number' },
    paused: { type: 'boolean' },
  },
  required: ['now', 'speed', 'paused'],
} as const;

/** 30 virtual days: a bound on one advance, so a typo cannot hang the lab. */
const MAX_ADVANCE_MS = 30 * 24 * 3600 * 1000;

export const clockRoutes: FastifyPluginAsync = async (app) => {
  const view = () => {
    const s = app.lab.clock.state();
    return { ...s, iso: new Date(s.now).toISOString() };
  };
  app.get('/clock', { schema: { summary: 'The lab clock', response: { 200: clockState } } }, async () => view());
  app.post<{ Body: { speed?: number; paused?: boolean; advanceMs?: number } }>(
    '/clock',
    {
      schema: {
        summary: 'Change speed, pause/resume, or advance virtual time',
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            speed: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
            paused: { type: 'boolean' },
            advanceMs: { type: 'integer', minimum: 0, maximum: MAX_ADVANCE_MS },
          },
        },
        response: { 200: clockState },
      },
    },
    async (req) => {
      const clock = app.lab.clock;
      const { speed, paused, advanceMs } = req.body;
      if (speed !== undefined) clock.setSpeed(speed);
      if (paused === true) clock.pause();
      if (paused === false) clock.resume();
      if (advanceMs !== undefined) {
        if (!Number.isSafeInteger(advanceMs)) throw new ERR_CLOCK_ADVANCE_INVALID();
        await clock.advance(advanceMs);
      }
      return view();
    },
  );
};
