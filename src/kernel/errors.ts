/**
 * Errors a user can cause (bad input, unknown device, conflicting state): a stable code, an HTTP status and a message
 * that says what to do. Fastify's error handler sends `{ statusCode, code, error, message }` for these.
 *
 * Every code is declared once, in error-catalogue.ts, with `createError` (as fastify's `lib/errors.js` does): a
 * throw site reads `throw new ERR_BASE_NOT_FOUND(mac)` and the wording lives in the catalogue.
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

/**
 * The arguments a message template takes: one per `%s`, in order (`%%` is a literal `%`). Each is formatted as a
 * template literal's `${…}` would format it, so a message reads exactly as the string it replaced.
 */
export type MessageArgs<T extends string> = T extends `${string}%${infer Rest}`
  ? Rest extends `s${infer After}`
    ? [unknown, ...MessageArgs<After>]
    : Rest extends `%${infer After}`
      ? MessageArgs<After>
      : MessageArgs<Rest>
  : [];

/** An error class of the catalogue: `new ERR_X(...args)` is a `SimError` with the class's code and status. */
export interface SimErrorClass<Args extends unknown[]> {
  new (...args: Args): SimError;
  readonly code: string;
  readonly message: string;
  readonly statusCode: number;
}

/** `message` with each `%s` replaced by the next argument and each `%%` by `%`. */
export function formatMessage(message: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let from = 0;
  for (let at = message.indexOf('%'); at >= 0; at = message.indexOf('%', from)) {
    const spec = message[at + 1];
    out += message.slice(from, at);
    if (spec === 's') out += `${args[next++] as string}`;
    else if (spec === '%') out += '%';
    else {
      out += '%';
      from = at + 1;
      continue;
    }
    from = at + 2;
  }
  return out + message.slice(from);
}

/**
 * Declares an error of the catalogue, as fastify's `createError(code, message, statusCode)`: the message is a template
 * whose `%s` are filled from the constructor's arguments.
 */
export function createError<const T extends string>(code: string, message: T, statusCode = 400): SimErrorClass<MessageArgs<T>> {
  return class extends SimError {
    static readonly code = code;
    static readonly message = message;
    static readonly statusCode = statusCode;
    constructor(...args: MessageArgs<T>) {
      super(code, formatMessage(message, args), statusCode);
    }
  };
}
