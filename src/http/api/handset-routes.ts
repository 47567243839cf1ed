import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Handset } from '../../devices/handset/handset.ts';
import { ERR_HANDSET_NOT_FOUND } from '../../kernel/error-catalogue.ts';

const handsetItem = {
  type: 'object',
  properties: {
    ipei: { type: 'string', description: '10 hex digits' },
    ipeiDecimal: { type: 'string', description: 'Decimal IPUI form with check digit' },
    model: { type: 'string', enum: ['Rove 30', 'Rove 40'] },
    firmware: { type: 'string' },
    firmwareMeetsTeamsMinimum: { type: 'boolean' },
    state: { type: 'string', enum: ['off', 'starting', 'stopping', 'installing-firmware', 'unregistered', 'searching', 'out-of-range', 'in-service'] },
    screen: { type: ['string', 'null'] },
    baseMac: { type: ['string', 'null'] },
    slot: { type: ['integer', 'null'] },
    site: { type: 'string' },
    outOfRange: { type: 'boolean' },
    language: { type: 'string' },
    display: { type: 'array', items: { type: 'string' }, description: "The screen's lines as text" },
    tones: { type: 'array', items: { type: 'object', properties: { tone: { type: 'string' }, at: { type: 'number' } } } },
    leds: { type: 'object', properties: { status: { type: 'string' } } },
    firmwareUpdate: { type: ['object', 'null'], additionalProperties: true },
    consoleUrl: { type: 'string', description: 'WebSocket console (docs/console-protocol.md)' },
    pageUrl: { type: 'string', description: 'Browser page of the handset' },
  },
  required: ['ipei', 'model', 'firmware', 'state', 'baseMac', 'display', 'consoleUrl', 'pageUrl'],
} as const;

const ipeiParams = {
  type: 'object',
  properties: { ipei: { type: 'string', description: 'IPEI, 10 hex digits' } },
  required: ['ipei'],
} as const;

function origin(req: FastifyRequest): { http: string; ws: string } {
  const host = req.headers.host ?? '127.0.0.1';
  return { http: `${req.protocol}://${host}`, ws: `${req.protocol === 'https' ? 'wss' : 'ws'}://${host}` };
}

function item(req: FastifyRequest, handset: Handset) {
  const o = origin(req);
  return { ...handset.view(), consoleUrl: `${o.ws}/consoles/${handset.ipei}`, pageUrl: `${o.http}/handsets/${handset.ipei}/` };
}

function findHandset(app: FastifyInstance, ipei: string): Handset {
  const handset = app.lab.getHandset(ipei);
  if (!handset) throw new ERR_HANDSET_NOT_FOUND(ipei);
  return handset;
}

export const handsetRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/handsets',
    { schema: { summary: 'Handsets in the lab', response: { 200: { type: 'object', properties: { items: { type: 'array', items: handsetItem } } } } } },
    async (req) => ({ items: [...app.lab.handsets.values()].map((h) => item(req, h)) }),
  );

  app.post<{ Body: { model: 'Rove 30' | 'Rove 40'; ipei?: string; firmware?: string; site?: string; powered?: boolean; language?: 'en'; name?: string } }>(
    '/handsets',
    {
      schema: {
        summary: 'Add a handset out of the box (not registered)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['model'],
          properties: {
            model: { type: 'string', enum: ['Rove 30', 'Rove 40'] },
            ipei: { type: 'string', description: 'Optional; generated from the lab seed when absent' },
            firmware: { type: 'string', description: 'Running firmware, dotted; default 8.0.0.0402' },
            site: { type: 'string', minLength: 1, maxLength: 64 },
            powered: { type: 'boolean' },
            language: { type: 'string', enum: ['en', 'de', 'fr', 'es', 'pt', 'ja'] },
            name: { type: 'string', maxLength: 32 },
          },
        },
        response: { 201: handsetItem },
      },
    },
    async (req, reply) => reply.code(201).send(item(req, app.lab.addHandset(req.body))),
  );

  app.get<{ Params: { ipei: string } }>(
    '/handsets/:ipei',
    { schema: { summary: 'One handset', params: ipeiParams, response: { 200: handsetItem } } },
    async (req) => item(req, findHandset(app, req.params.ipei)),
  );

  app.post<{ Params: { ipei: string }; Body: { keys: string } }>(
    '/handsets/:ipei/keys',
    {
      schema: {
        summary: 'Press keys, as a console does',
        description:
          'Digits, * and #, and named keys in braces: {green} {red} {red-long} (alias {power}) {soft1} {soft2} {up} {down} {left} {right} {ok} {menu}. ' +
          'An unknown key refuses the whole string and presses nothing.',
        params: ipeiParams,
        body: { type: 'object', additionalProperties: false, required: ['keys'], properties: { keys: { type: 'string', minLength: 1, maxLength: 512 } } },
        response: { 200: handsetItem },
      },
    },
    async (req) => {
      const handset = findHandset(app, req.params.ipei);
      handset.press(req.body.keys);
      return item(req, handset);
    },
  );

  app.post<{ Params: { ipei: string }; Body: { on: boolean } }>(
    '/handsets/:ipei/power',
    {
      schema: {
        summary: 'Battery in (on) or out (off)',
        params: ipeiParams,
        body: { type: 'object', additionalProperties: false, required: ['on'], properties: { on: { type: 'boolean' } } },
        response: { 200: handsetItem },
      },
    },
    async (req) => {
      const handset = findHandset(app, req.params.ipei);
      handset.setPower(req.body.on);
      return item(req, handset);
    },
  );

  app.post<{ Params: { ipei: string }; Body: { site?: string; outOfRange?: boolean } }>(
    '/handsets/:ipei/placement',
    {
      schema: {
        summary: 'Move a handset to another site, or carry it out of range and back',
        params: ipeiParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { site: { type: 'string', minLength: 1, maxLength: 64 }, outOfRange: { type: 'boolean' } },
        },
        response: { 200: handsetItem },
      },
    },
    async (req) => {
      const handset = findHandset(app, req.params.ipei);
      if (req.body.site !== undefined) handset.moveTo(req.body.site);
      if (req.body.outOfRange !== undefined) handset.setOutOfRange(req.body.outOfRange);
      return item(req, handset);
    },
  );
};
