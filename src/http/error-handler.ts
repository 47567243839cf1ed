import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SimError } from '../kernel/errors.ts';

/**
 * One error shape for the JSON API: `{ statusCode, code, error, message }`. Validation errors say which field was
 * wrong; unexpected errors are logged and reported without internals (a SimError's message is meant for the user
 * whatever its status, e.g. 507 "the disk is full").
 */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (statusCode >= 500) req.log.error(err);
  const message = err.validation
    ? `invalid ${err.validationContext ?? 'input'}: ${err.message.replace(/^(body|querystring|params|headers)\/?/, '')}`
    : statusCode >= 500 && !(err instanceof SimError)
      ? 'internal error (see the simulator log)'
      : err.message;
  void reply.code(statusCode).send({
    statusCode,
    code: err.validation ? 'VALIDATION_FAILED' : (err.code ?? 'ERROR'),
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
  });
}
