/**
 * Schema compilers one process's Fastify apps can share. Each Fastify instance compiles the validators and
 * serializers of its routes' JSON schemas at start (Ajv, fast-json-stringify): for one app that is nothing, but a
 * classroom builds the same app once per trainee, and compiling the same schemas 30 times was most of its start.
 * Shared, a schema (by its JSON text, for the same part of the request or the same status) is compiled once.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

// Fastify's own default compilers, resolved from fastify itself (its dependencies, not ours).
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const AjvCompiler = fromFastify('@fastify/ajv-compiler') as () => (externalSchemas: unknown, options: unknown) => unknown;
const SerializerCompiler = fromFastify('@fastify/fast-json-stringify-compiler') as () => (externalSchemas: unknown, options: unknown) => unknown;

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type BuildValidator = NonNullable<CompilersFactory['buildValidator']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;

/** Caches compiled functions by (compiler options, route part, schema JSON); bounded, schemas are few. */
function remembering<R extends { schema: unknown }>(compile: (route: R) => unknown, key: (route: R) => string, cache: Map<string, unknown>) {
  return (route: R) => {
    const k = `${key(route)}\u0000${JSON.stringify(route.schema)}`;
    let fn = cache.get(k);
    if (fn === undefined) {
      fn = compile(route);
      if (cache.size < 10_000) cache.set(k, fn);
    }
    return fn;
  };
}

/** A `schemaController` for `Fastify({ schemaController })`: every app given the same one shares its compilers. */
export function sharedSchemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  const validators = AjvCompiler();
  const serializers = SerializerCompiler();
  const validatorCache = new Map<string, unknown>();
  const serializerCache = new Map<string, unknown>();
  const buildValidator: BuildValidator = (externalSchemas: unknown, options: unknown) => {
    const compile = validators(externalSchemas, options) as (route: { schema: unknown; httpPart?: string }) => unknown;
    const optionsKey = JSON.stringify([externalSchemas, options]);
    return remembering(compile, (r) => `${optionsKey}${r.httpPart ?? ''}`, validatorCache) as never;
  };
  const buildSerializer: BuildSerializer = (externalSchemas: unknown, options: unknown) => {
    const compile = serializers(externalSchemas, options) as (route: { schema: unknown; httpStatus?: string; contentType?: string }) => unknown;
    const optionsKey = JSON.stringify([externalSchemas, options]);
    return remembering(compile, (r) => `${optionsKey}${r.httpStatus ?? ''}${r.contentType ?? ''}`, serializerCache) as never;
  };
  return { compilersFactory: { buildValidator, buildSerializer } };
}
