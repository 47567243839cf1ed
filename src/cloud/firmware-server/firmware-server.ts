/**
 * The emulated `downloads.polycom.com`: serves the firmware catalogue in `fixtures/firmware/` at the paths the guide
 * uses (`/voice/dect-ip-phones/Rove/<file>.fwu`), with a directory index per folder, as a download server would.
 * A lab can hide files (fault injection: "firmware server missing a file") without touching the fixtures.
 */
import { statSync, type Stats } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { html, join } from '../../kernel/html.ts';

export const DEFAULT_FIRMWARE_ROOT = fileURLToPath(new URL('../../../fixtures/firmware/', import.meta.url));

export interface FirmwareServerOptions {
  root?: string;
  /** Paths (e.g. `/voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu`) that answer 404 as if missing. */
  hidden?: Set<string>;
}

/**
 * Non-empty segments of letters, digits, `-`, `_` and `.` (no `..` segment): what devices ask for. Such a path is its
 * own pathname (nothing to encode, decode or resolve), so it skips the URL parser.
 */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.-]+)*\/?$/;

/** Files up to this size are kept in memory between requests (the fixtures are a few KB each). */
const CACHE_MAX_BYTES = 4 * 1024 * 1024;

interface CachedFile {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  ino: number;
  body: Buffer;
}

function sameFile(cached: CachedFile, info: Stats): boolean {
  return cached.mtimeMs === info.mtimeMs && cached.ctimeMs === info.ctimeMs && cached.size === info.size && cached.ino === info.ino;
}

export function buildFirmwareServer(options: FirmwareServerOptions = {}): FastifyInstance {
  const root = path.resolve(options.root ?? DEFAULT_FIRMWARE_ROOT);
  const rootPrefix = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const hidden = options.hidden ?? new Set<string>();
  const app = Fastify({ logger: false });
  /**
   * File bodies by path, valid while the file's stat (mtime, ctime, size, inode) is unchanged, so an edited or replaced
   * fixture is served fresh. A rehearsal downloads the same few images hundreds of times, and each async stat + read
   * was five thread-pool round trips (stat, open, fstat, read, close) on the lab clock's critical path.
   */
  const files = new Map<string, CachedFile>();

  app.get('/*', async (req, reply) => {
    const urlPath = PLAIN_PATH.test(req.url) ? req.url : decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const target = path.resolve(root, `.${urlPath}`);
    // Inside the root means the root itself or below `root/`: a bare prefix test would let `/../firmware-old/x`
    // reach a sibling folder whose name starts with the root's.
    if ((target !== root && !target.startsWith(rootPrefix)) || hidden.has(urlPath.replace(/\/+$/, '') || '/')) {
      return reply.code(404).type('text/plain').send('404 Not Found\n');
    }
    // A synchronous stat of a local file takes microseconds; the async one waits a thread-pool round trip.
    let info: Stats | undefined;
    try {
      info = statSync(target);
    } catch {
      info = undefined;
    }
    if (!info) return reply.code(404).type('text/plain').send('404 Not Found\n');
    if (info.isDirectory()) {
      if (!urlPath.endsWith('/')) return reply.redirect(`${urlPath}/`, 301);
      const entries = (await readdir(target, { withFileTypes: true }))
        .filter((e) => !hidden.has(`${urlPath}${e.name}`))
        .sort((a, b) => a.name.localeCompare(b.name));
      const rows = entries.map((e) => html`<li><a href="${encodeURIComponent(e.name)}${e.isDirectory() ? '/' : ''}">${e.name}${e.isDirectory() ? '/' : ''}</a></li>`);
      return reply.type('text/html').send(html`<!doctype html><title>Index of ${urlPath}</title><h1>Index of ${urlPath}</h1><ul>${join(rows, '\n')}</ul>`.value);
    }
    let body: Buffer;
    const cached = files.get(target);
    if (cached && sameFile(cached, info)) {
      body = cached.body;
    } else {
      body = await readFile(target);
      // Keyed by the stat taken before the read: a file changed in between is read again on the next request.
      if (body.length <= CACHE_MAX_BYTES) files.set(target, { mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, size: info.size, ino: info.ino, body });
      else files.delete(target);
    }
    return reply
      .type(target.endsWith('.json') ? 'application/json' : 'application/octet-stream')
      .header('content-length', body.length)
      .send(body);
  });
  return app;
}
