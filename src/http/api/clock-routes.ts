import type { FastifyPluginAsync } from 'fastify';
import { ERR_CLOCK_ADVANCE_INVALID, ERR_CLOCK_SPEED_INVALID } from '../../kernel/error-catalogue.ts';

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

/** Slowest and fastest clock: below 0.001 the lab would look frozen (1e-320 is a number too), above it no device keeps up. */
const MIN_SPEED = 0.001;
const MAX_SPEED = 1_000_000;

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
            speed: { type: 'number', minimum: MIN_SPEED, maximum: MAX_SPEED, description: '1 = real time; 0.001 to 1,000,000' },
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
      // The schema coerces strings: "1e999" arrives as Infinity, which no range check of JSON Schema refuses.
      if (speed !== undefined && !(Number.isFinite(speed) && speed >= MIN_SPEED && speed <= MAX_SPEED)) {
        throw new ERR_CLOCK_SPEED_INVALID(MIN_SPEED);
      }
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
