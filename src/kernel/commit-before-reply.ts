/**
 * Commit before reply: a request that may have changed the lab (any method but GET/HEAD/OPTIONS) is answered only
 * after its writes are committed to the lab file. Without it, a "saved" page or a `200` could reach the user while the
 * change still waited for the store's next-turn commit, and a crash in between lost what the user was told was saved.
 *
 * Runs in `onSend`, the last hook before the answer leaves; a commit that fails turns the answer into the error
 * (`LAB_WRITE_FAILED`, 507 when the disk is full, else 503) instead of a success the file never got; the store keeps
 * the writes queued and retries them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERR_LAB_WRITE_FAILED, ERR_LAB_WRITE_FAILED_2 } from './error-catalogue.ts';

export interface CommitBeforeReplyOptions {
  /** Commits everything pending (the lab's `commit()`). */
  commit(): void;
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

export const commitBeforeReply = fp(
  async (app: FastifyInstance, options: CommitBeforeReplyOptions) => {
    app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (READ_ONLY.has(req.method) || reply.statusCode >= 500) return payload;
      try {
        options.commit();
      } catch (err) {
        // 507 when the disk is full (the store says so), 503 for other write failures: either way not a success.
        const full = (err as { full?: boolean }).full === true;
        const message = (err as Error).message;
        if (full) throw new ERR_LAB_WRITE_FAILED(message);
        throw new ERR_LAB_WRITE_FAILED_2(message);
      }
      return payload;
    });
  },
  { name: 'commit-before-reply', fastify: '5.x' },
);
