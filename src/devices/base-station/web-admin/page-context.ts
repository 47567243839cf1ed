/**
 * What every page needs besides its base: the lab (for its clock) and a way to show lab times in the base's zone.
 */
import type { FastifyReply } from 'fastify';
import type { BaseStation } from '../base-station.ts';
import type { BaseSurroundings } from '../base-surroundings.ts';
import { HTML } from './base-request.ts';
import { renderPage, type PageOptions } from './layout.ts';
import { formatTime } from './time-format.ts';

export interface PagePluginOptions {
  lab: BaseSurroundings;
  /** Training mode: the pages look like the device's, without the simulator's tutorial texts (the hint column). */
  training?: boolean;
}

/** A lab instant in the base's configured time zone (System Management → WAN settings). */
export function timeAt(base: BaseStation, at: number): string {
  return formatTime(at, base.flash.settings.timeZone);
}

export function sendPage(reply: FastifyReply, options: PageOptions, statusCode = 200): FastifyReply {
  return reply.code(statusCode).type(HTML).header('cache-control', 'no-store').send(renderPage(options));
}

/** Post/Redirect/Get: answer a successful form with 303 to a page relative to the current one. */
export function redirectTo(reply: FastifyReply, relative: string): FastifyReply {
  return reply.code(303).header('location', relative.startsWith('./') ? relative : `./${relative}`).send();
}
