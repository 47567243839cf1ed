/**
 * Errors a user can cause (bad input, unknown device, conflicting state): a stable code, an HTTP status and a message
 * that says what to do. Fastify's error handler sends `{ statusCode, code, error, message }` for these.
 */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'SimError';
  }
}
