/**
 * `it` with a lab and its app for each test: the default lab on a paused clock ({@link openTestLab}) and
 * `buildApp({ lab })`, both closed after the test (the app first). A test names what it uses:
 * `it('…', async ({ app, lab }) => …)`; the app is built for every test, used or not, as a `beforeEach` would.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { it as base } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { openTestLab } from './lab.ts';

export interface LabApp {
  lab: Lab;
  app: FastifyInstance;
}

export const it = base.extend<LabApp>({
  lab: async ({}, use) => {
    const lab = await openTestLab();
    await use(lab);
    await lab.close();
  },
  app: [
    async ({ lab }, use) => {
      const app = await buildApp({ lab });
      await use(app);
      await app.close();
    },
    { auto: true },
  ],
});

/** Listens on a free port of 127.0.0.1 (a real server for browsers and real clients); returns `http://127.0.0.1:PORT`. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
