/**
 * The door of each trainee's ports. Every request to a trainee's lab — the main server (task panel, handset pages and
 * consoles, control API, static files), each base's own web admin port, the Teams admin center and device login port —
 * must carry that trainee's cookie (`rove-trainee-<login>`, set by the classroom's login page) with their session, or
 * the instructor's (`rove-instructor`). Anything else is refused before it reaches the lab: a page gets a redirect to
 * the login page, anything else 401 with `CLASSROOM_LOGIN_REQUIRED`, a WebSocket upgrade a 401 and a closed socket.
 *
 * Cookies do not isolate by port (every trainee's ports share the host), so the cookie's *name* says whose it is: the
 * browser of trainee A sends `rove-trainee-a` to B's ports too, and B's door looks only for `rove-trainee-b`.
 * The check runs on the raw Node request, ahead of Fastify, so no route, hook order or 404 handler can skip it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERR_CLASSROOM_LOGIN_REQUIRED } from '../kernel/error-catalogue.ts';
import { sameSession } from './classroom-state.ts';

export const INSTRUCTOR_COOKIE = 'rove-instructor';

export function traineeCookie(login: string): string {
  return `rove-trainee-${login}`;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface GateOptions {
  login: string;
  name: string;
  /** The trainee's session (read on every request: it may be renewed). */
  session: () => string;
  instructorSession: () => string;
  /** The classroom's login page. */
  loginUrl: () => string;
}

/** Whether the request carries the trainee's (or the instructor's) session. */
export function admits(req: IncomingMessage, gate: GateOptions): boolean {
  const cookies = req.headers.cookie;
  return sameSession(cookieValue(cookies, traineeCookie(gate.login)), gate.session()) || sameSession(cookieValue(cookies, INSTRUCTOR_COOKIE), gate.instructorSession());
}

function refusal(gate: GateOptions) {
  const e = new ERR_CLASSROOM_LOGIN_REQUIRED(gate.name, gate.login, gate.loginUrl());
  return { statusCode: 401, code: e.code, error: 'Unauthorized', message: e.message };
}

/** Wraps a request handler (Fastify's `routing`) behind the door. */
export function gatedRequests(gate: GateOptions, next: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (admits(req, gate)) return next(req, res);
    const page = (req.method === 'GET' || req.method === 'HEAD') && /text\/html/.test(req.headers.accept ?? '');
    const security = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'", 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    if (page) {
      res.writeHead(302, { ...security, location: `${gate.loginUrl()}?trainee=${encodeURIComponent(gate.login)}` });
      res.end();
      return;
    }
    res.writeHead(401, { ...security, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(refusal(gate)));
  };
}

/** Wraps an `upgrade` listener (the console WebSockets) behind the door. */
export function gatedUpgrades(gate: GateOptions, next: (req: IncomingMessage, socket: Duplex, head: Buffer) => void) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (admits(req, gate)) return next(req, socket, head);
    const body = JSON.stringify(refusal(gate));
    socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  };
}
