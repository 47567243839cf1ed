/**
 * Which base a web admin request is for. The `:mac` path segment is normalised by the lab (upper/lower case, with or
 * without separators); an unknown MAC is a 404 and a base whose firmware is not up is a 503, both before any login.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BaseStation } from '../base-station.ts';
import type { BaseSurroundings } from '../base-surroundings.ts';
import { unknownBasePage, unreachablePage } from './plain-pages.ts';

export const HTML = 'text/html; charset=utf-8';

export interface MacParams {
  mac: string;
}

const baseOfRequest = new WeakMap<FastifyRequest, BaseStation>();

/** The base the request was resolved to (by {@link resolveBase}). */
export function baseOf(req: FastifyRequest): BaseStation {
  const base = baseOfRequest.get(req);
  if (!base) throw new Error('web admin route used without the resolveBase hook');
  return base;
}

/** Looks the base up without answering (for error pages). */
export function maybeBaseOf(req: FastifyRequest): BaseStation | undefined {
  return baseOfRequest.get(req);
}

/** onRequest hook: finds the base or answers 404/503. */
export function resolveBase(lab: BaseSurroundings) {
  return async function resolveBaseHook(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const mac = (req.params as Partial<MacParams>).mac ?? '';
    const base = lab.getBase(mac);
    if (!base) {
      return reply.code(404).type(HTML).send(unknownBasePage(mac));
    }
    if (!base.reachable) {
      return reply.code(503).type(HTML).header('retry-after', '10').send(unreachablePage(base));
    }
    baseOfRequest.set(req, base);
  };
}
