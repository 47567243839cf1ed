/**
 * `rove-sim replay LOG --serve`: reads and checks the log, serves the viewer on 127.0.0.1 and says where.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readEventLog } from '../event-log-reader.ts';
import { ERR_REPLAY_PORT_IN_USE } from '../../kernel/error-catalogue.ts';
import { buildReplayApp } from './build-replay-app.ts';
import type { ReplaySpeed } from './replay-plugin.ts';

export { DEFAULT_REPLAY_PORT } from './replay-port.ts';

export interface ServeReplayOptions {
  port: number;
  speed?: ReplaySpeed;
  host?: string;
  log?: (line: string) => void;
}

export interface ServedReplay {
  app: FastifyInstance;
  /** The viewer's page. */
  url: string;
  close(): Promise<void>;
}

/** Throws `EventLogError` for a log that cannot be replayed (before listening), `SimError` for a port in use. */
export async function serveReplay(file: string, options: ServeReplayOptions): Promise<ServedReplay> {
  const log = await readEventLog(file);
  const app = await buildReplayApp({ log, name: path.basename(file), ...(options.speed !== undefined ? { speed: options.speed } : {}) });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port });
  } catch (err) {
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ERR_REPLAY_PORT_IN_USE(options.port);
    }
    throw err;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${(app.server.address() as AddressInfo).port}/replay/`;
  (options.log ?? console.log)(`Replay of "${log.header.scenario}" (${log.events.length} events): ${url}`);
  return { app, url, close: () => app.close() };
}
