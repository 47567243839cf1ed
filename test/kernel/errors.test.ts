import { describe, expect, it } from 'vitest';
import * as catalogue from '../../src/kernel/error-catalogue.ts';
import { createError, formatMessage, SimError } from '../../src/kernel/errors.ts';

describe('the error catalogue (createError, as fastify declares its errors)', () => {
  it('makes SimErrors with the code, the status and the message filled from the arguments', () => {
    const ERR_NOPE = createError('NOPE', 'no base with MAC %s on %s', 404);
    const err = new ERR_NOPE('00:04:F2:A0:00:01', 'site-a');
    expect(err).toBeInstanceOf(SimError);
    expect(err).toBeInstanceOf(Error);
    expect({ name: err.name, code: err.code, statusCode: err.statusCode, message: err.message }).toEqual({
      name: 'SimError',
      code: 'NOPE',
      statusCode: 404,
      message: 'no base with MAC 00:04:F2:A0:00:01 on site-a',
    });
    expect([ERR_NOPE.code, ERR_NOPE.statusCode, ERR_NOPE.message]).toEqual(['NOPE', 404, 'no base with MAC %s on %s']);
  });

  it('defaults to 400, as new SimError(code, message) did', () => {
    expect(new (createError('BAD', 'bad'))().statusCode).toBe(400);
  });

  it('formats each argument as a template literal would, and %% as a literal %', () => {
    const values: unknown[] = [1, null, undefined, ['a', 'b'], { toString: () => 'obj' }, '%s'];
    for (const v of values) expect(formatMessage('<%s>', [v])).toBe(`<${v as string}>`);
    expect(formatMessage('100%% of %s, %q stays', ['x'])).toBe('100% of x, %q stays');
  });

  it('declares every entry with a code and a status an HTTP error can carry', () => {
    const entries = Object.entries(catalogue);
    expect(entries.length).toBeGreaterThan(0);
    for (const [name, E] of entries) {
      expect(name).toMatch(/^ERR_[A-Z0-9_]+$/);
      expect(name.startsWith(`ERR_${E.code}`)).toBe(true);
      expect(E.statusCode).toBeGreaterThanOrEqual(400);
      expect(E.statusCode).toBeLessThan(600);
    }
  });
});
