/**
 * The emulated `downloads.polycom.com`: serves the firmware catalogue in `fixtures/firmware/` at the paths the guide
 * uses (`/voice/dect-ip-phones/Rove/<file>.fwu`), with a directory index per folder, as a download server would.
 * A lab can hide files (fault injection: "firmware server missing a file") without touching the fixtures.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';

export const DEFAULT_FIRMWARE_ROOT = fileURLToPath(new URL('../../fixtures/firmware/', import.meta.url));

export interface FirmwareServerOptions {
  root?: string;
  /** Paths (e.g. `/voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu`) that answer 404 as if missing. */
  hidden?: Set<string>;
}

export function buildFirmwareServer(options: FirmwareServerOptions = {}): FastifyInstance {
  const root = path.resolve(options.root ?? DEFAULT_FIRMWARE_ROOT);
  const hidden = options.hidden ?? new Set<string>();
  const app = Fastify({ logger: false });

  app.get('/*', async (req, reply) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const target = path.resolve(root, `.${urlPath}`);
    if (!target.startsWith(root) || hidden.has(urlPath.replace(/\/+$/, '') || '/')) {
      return reply.code(404).type('text/plain').send('404 Not Found\n');
    }
    const info = await stat(target).catch(() => undefined);
    if (!info) return reply.code(404).type('text/plain').send('404 Not Found\n');
    if (info.isDirectory()) {
      if (!urlPath.endsWith('/')) return reply.redirect(`${urlPath}/`, 301);
      const entries = (await readdir(target, { withFileTypes: true }))
        .filter((e) => !hidden.has(`${urlPath}${e.name}`))
        .sort((a, b) => a.name.localeCompare(b.name));
      const rows = entries
        .map((e) => `<li><a href="${encodeURIComponent(e.name)}${e.isDirectory() ? '/' : ''}">${e.name}${e.isDirectory() ? '/' : ''}</a></li>`)
        .join('\n');
      return reply.type('text/html').send(`<!doctype html><title>Index of ${urlPath}</title><h1>Index of ${urlPath}</h1><ul>${rows}</ul>`);
    }
    const body = await readFile(target);
    return reply
      .type(target.endsWith('.json') ? 'application/json' : 'application/octet-stream')
      .header('content-length', body.length)
      .send(body);
  });
  return app;
}
