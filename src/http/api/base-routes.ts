import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { BaseStation } from '../../devices/base-station/base-station.ts';
import { syncStateOf } from '../../devices/base-station/multi-cell.ts';
import { PARAMETERS } from '../../devices/base-station/parameters.ts';
import { ERR_BASE_NOT_FOUND, ERR_BASE_NOT_RUNNING_2, ERR_BASE_NOT_RUNNING_3, ERR_SETTINGS_INVALID } from '../../kernel/error-catalogue.ts';

const activity = {
  type: 'object',
  properties: { phase: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' }, at: { type: ['number', 'null'] } },
} as const;

const baseItem = {
  type: 'object',
  properties: {
    mac: { type: 'string', description: '12 hex digits' },
    model: { type: 'string', enum: ['B2', 'B4'] },
    firmware: { type: 'string', description: 'Running firmware, dotted (e.g. 8.0.3.0009)' },
    state: { type: 'string', enum: ['off', 'booting', 'running', 'rebooting'] },
    reboots: { type: 'integer' },
    uptimeSeconds: { type: ['integer', 'null'] },
    webAdminUrl: { type: 'string' },
    firmwareUpdate: activity,
    provisioning: activity,
    pendingProvisioningReboots: { type: 'integer' },
    multiCell: {
      type: 'object',
      description: 'Rove B4 multi-cell: what the base runs, what is saved (applied at the next reboot), its sync',
      properties: {
        enabled: { type: 'boolean', description: 'Multi-cell runs (applied at the last boot)' },
        pending: { type: 'boolean', description: 'Saved multi-cell settings wait for a reboot' },
        chainId: { type: ['integer', 'null'] },
        role: { type: ['string', 'null'], enum: ['primary', 'secondary', null] },
        syncState: { type: ['string', 'null'], description: 'Locked, Free running, Assisted lock, Searching, Sync lost, Unknown' },
        chainLevel: { type: ['integer', 'null'] },
        syncSource: { type: ['string', 'null'] },
      },
    },
    rebootLog: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'number' }, reason: { type: 'string' }, kind: { type: 'string' } },
      },
    },
  },
  required: ['mac', 'model', 'firmware', 'state', 'reboots', 'webAdminUrl'],
} as const;

const macParams = {
  type: 'object',
  properties: { mac: { type: 'string', description: 'Base MAC, 12 hex digits (separators allowed)' } },
  required: ['mac'],
} as const;

function item(app: FastifyInstance, base: BaseStation) {
  const s = base.status();
  return {
    mac: s.mac,
    model: s.model,
    firmware: s.firmware,
    state: s.state,
    reboots: s.reboots,
    uptimeSeconds: s.uptimeSeconds,
    webAdminUrl: app.webAdminUrl(s.mac),
    firmwareUpdate: s.firmwareUpdate,
    provisioning: s.provisioning,
    pendingProvisioningReboots: s.pendingProvisioningReboots,
    multiCell: {
      enabled: s.multiCell.running !== null,
      pending: s.multiCell.pending,
      chainId: s.multiCell.running?.chainId ?? null,
      role: s.multiCell.running?.role ?? null,
      syncState: s.multiCell.running ? syncStateOf(s.multiCell.syncStep, base.reachable) : null,
      chainLevel: s.multiCell.chainLevel,
      syncSource: s.multiCell.syncSource,
    },
    rebootLog: s.rebootLog,
  };
}

function findBase(app: FastifyInstance, mac: string): BaseStation {
  const base = app.lab.getBase(mac);
  if (!base) throw new ERR_BASE_NOT_FOUND(mac);
  return base;
}

const settingsProperties = Object.fromEntries(
  [...PARAMETERS.values()].map((p) => [p.key, { type: 'string', description: `${p.label}${p.unit ? ` (${p.unit})` : ''}: ${p.hint}` }]),
);

export const baseRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/bases',
    { schema: { summary: 'Base stations in the lab', response: { 200: { type: 'object', properties: { items: { type: 'array', items: baseItem } } } } } },
    async () => ({ items: [...app.lab.bases.values()].map((b) => item(app, b)) }),
  );

  app.post<{ Body: { mac?: string; model: 'B2' | 'B4'; firmware?: string; powered?: boolean } }>(
    '/bases',
    {
      schema: {
        summary: 'Add a base station at factory defaults',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['model'],
          properties: {
            mac: { type: 'string', description: 'Optional; generated with the Poly OUI when absent' },
            model: { type: 'string', enum: ['B2', 'B4'] },
            firmware: { type: 'string', description: 'Running firmware, dotted; default 8.0.0.0402' },
            powered: { type: 'boolean', default: true },
          },
        },
        response: { 201: baseItem },
      },
    },
    async (req, reply) => {
      const base = app.lab.addBase(req.body);
      return reply.code(201).send(item(app, base));
    },
  );

  app.get<{ Params: { mac: string } }>(
    '/bases/:mac',
    { schema: { summary: 'One base station', params: macParams, response: { 200: baseItem } } },
    async (req) => item(app, findBase(app, req.params.mac)),
  );

  app.post<{ Params: { mac: string }; Body: { on: boolean } }>(
    '/bases/:mac/power',
    {
      schema: {
        summary: 'Power a base on or off (a power cut when off)',
        params: macParams,
        body: { type: 'object', additionalProperties: false, required: ['on'], properties: { on: { type: 'boolean' } } },
        response: { 200: baseItem },
      },
    },
    async (req) => {
      const base = findBase(app, req.params.mac);
      base.setPower(req.body.on);
      return item(app, base);
    },
  );

  app.post<{ Params: { mac: string }; Body: { forced?: boolean } }>(
    '/bases/:mac/reboot',
    {
      schema: {
        summary: 'REBOOT (waits for calls and firmware work) or FORCED REBOOT (immediate)',
        params: macParams,
        body: { type: 'object', additionalProperties: false, properties: { forced: { type: 'boolean', default: false } } },
        response: { 200: baseItem },
      },
    },
    async (req) => {
      const base = findBase(app, req.params.mac);
      if (!base.reachable) throw new ERR_BASE_NOT_RUNNING_2(base.mac, base.state);
      base.send(req.body?.forced ? { type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (control API)' } : { type: 'REBOOT', reason: 'REBOOT (control API)' });
      return item(app, base);
    },
  );

  app.post<{ Params: { mac: string }; Body: Record<string, string> }>(
    '/bases/:mac/settings',
    {
      schema: {
        summary: 'Change settings as the web admin does (all values checked; nothing saved if one is wrong)',
        params: macParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settingsProperties },
        response: { 200: { type: 'object', additionalProperties: { type: 'string' } } },
      },
    },
    async (req) => {
      const base = findBase(app, req.params.mac);
      if (!base.reachable) throw new ERR_BASE_NOT_RUNNING_3(base.mac, base.state);
      const checked = base.updateSettings(req.body);
      if (!checked.ok) {
        throw new ERR_SETTINGS_INVALID(checked.errors.map((e) => e.message).join('; '));
      }
      return base.flash.settings;
    },
  );
};
