import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { closestMatch } from '../kernel/did-you-mean.ts';
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
    ? `invalid ${err.validationContext ?? 'input'}: ${validationMessage(err, req)}`
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

type ValidationEntry = NonNullable<FastifyError['validation']>[number];

/**
 * What was wrong with the input. A value outside a fixed list (`enum`) is named with the list and the nearest value
 * (`type "base-power-los" must be one of: base-power-loss, … (did you mean "base-power-loss"?)`): ajv only says "must be
 * equal to one of the allowed values", which names neither.
 */
function validationMessage(err: FastifyError, req: FastifyRequest): string {
  const plain = err.message.replace(/^(body|querystring|params|headers)\/?/, '');
  const entries = err.validation ?? [];
  if (!entries.some((e) => e.keyword === 'enum')) return plain;
  const part = ({ body: req.body, querystring: req.query, params: req.params, headers: req.headers } as Record<string, unknown>)[err.validationContext ?? 'body'];
  return entries.map((e) => (e.keyword === 'enum' ? enumMessage(e, part) : `${field(e) || (err.validationContext ?? 'input')} ${e.message ?? e.keyword}`)).join('; ');
}

function enumMessage(e: ValidationEntry, part: unknown): string {
  const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
  let value: unknown = part;
  for (const s of e.instancePath.split('/').slice(1)) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  const near = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
  return `${field(e) || 'the value'} ${JSON.stringify(value)} must be one of: ${allowed.join(', ')}${near !== undefined ? ` (did you mean "${near}"?)` : ''}`;
}

function field(e: ValidationEntry): string {
  return e.instancePath.split('/').slice(1).join('.');
}
