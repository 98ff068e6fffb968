// The HTTP service: fastify routes over one Executor (stateless runs), a SessionStore (durable sessions) and an
// Admission gate (bounded concurrency, 503 beyond it). Everything is JSON except file contents (raw bytes) and
// streamed runs (NDJSON or SSE).
import { availableParallelism } from 'node:os';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Executor, OptionError, type FileInput, type Language, type Limits, type RunOptions, type SessionRunOptions } from '../index.js';
import { LIMITS, LIMIT_NAMES, memoryClass, type EffectiveLimits, type LimitName, type LimitSpec } from '../api/limits.js';
import { Admission } from './admission.js';
import { Auth, type Owner } from './auth.js';
import { openApiDocument } from './openapi.js';
import { badRequest, evalOutcome, evalResponse, fileCallError, HttpError, okResponse, runOutcome } from './results.js';
import { createSessionRequestSchema, evalRequestSchema, runRequestSchema, sessionRunRequestSchema } from './schemas.js';
import { SessionStore } from './session-store.js';
import { pipeRun, streamFormat } from './streaming.js';

export interface ServiceOptions {
  /** Where sessions live (must survive restarts for sessions to). */
  dataDir: string;
  /** Bearer tokens accepted; none: an open service. */
  tokens?: string[];
  /** Delete sessions unused for this long (default 30 min; 0: never). */
  idleTimeoutMs?: number;
  /** Sandbox calls running at once (default: the number of cores). */
  concurrency?: number;
  /** Requests allowed to wait for a slot before the server answers 503 (default 256). */
  maxQueue?: number;
  /** Sessions kept (default 1000). */
  maxSessions?: number;
  /** Sessions with a running sandbox at once; idle ones beyond it are detached, keeping files (default 4 x cores). */
  maxLiveSessions?: number;
  /** Largest request body (default 16 MiB): 413 beyond it. */
  bodyLimitBytes?: number;
  /** Run limits when a request gives none. */
  defaults?: Partial<EffectiveLimits>;
  /**
   * The most time and memory one request may ask for (400 beyond them): by default SERVICE_MAX_LIMITS, or the
   * defaults where those are higher. A request may not raise the file-size limit or the disk quota past the defaults.
   */
  maxLimits?: Partial<Pick<EffectiveLimits, 'timeMs' | 'memoryBytes'>>;
  /** Log requests (JSON lines on stderr). */
  log?: boolean;
}

export interface Service {
  app: FastifyInstance;
  executor: Executor;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  /** Stops accepting requests, waits for the ones in progress, stops every sandbox and keeps the sessions' files. */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    owner: Owner;
  }
}

type SessionParams = { id: string; '*'?: string };

/** The default ceilings of one request: a client may not hold a slot for hours, nor grow a sandbox to 4 GiB. */
export const SERVICE_MAX_LIMITS = { timeMs: 60_000, memoryBytes: 2 ** 30 } as const;

/** What one request may ask for at most (see ServiceOptions.maxLimits). */
export type MaxLimits = Pick<EffectiveLimits, 'timeMs' | 'memoryBytes' | 'fileSizeBytes' | 'diskBytes'>;

function maxLimitsOf(given: ServiceOptions['maxLimits'] = {}, defaults: EffectiveLimits): MaxLimits {
  const max = {
    timeMs: given.timeMs ?? Math.max(SERVICE_MAX_LIMITS.timeMs, defaults.timeMs),
    memoryBytes: given.memoryBytes ?? Math.max(SERVICE_MAX_LIMITS.memoryBytes, defaults.memoryBytes),
    fileSizeBytes: defaults.fileSizeBytes,
    diskBytes: defaults.diskBytes,
  };
  for (const name of ['timeMs', 'memoryBytes'] as const) {
    if (!Number.isSafeInteger(max[name]) || max[name] < defaults[name]) {
      throw new OptionError(`maxLimits.${name}`, max[name], `expected a whole number at least the default (${defaults[name]})`);
    }
  }
  return max;
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const cores = availableParallelism();
  const concurrency = options.concurrency ?? cores;
  const executor = new Executor({ poolSize: concurrency, defaults: options.defaults });
  executor.prewarm();
  const maxLimits = maxLimitsOf(options.maxLimits, executor.defaults);
  const admission = new Admission(concurrency, options.maxQueue ?? 256);
  const store = new SessionStore(executor, admission, {
    dataDir: options.dataDir,
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
    maxSessions: options.maxSessions ?? 1000,
    maxLiveSessions: options.maxLiveSessions ?? 4 * cores,
  });
  await store.load();
  const auth = new Auth(options.tokens ?? []);
  const started = Date.now();

  const app = Fastify({
    logger: options.log ? { level: 'info', stream: process.stderr } : false,
    bodyLimit: options.bodyLimitBytes ?? 16 * 2 ** 20,
    // Reject what does not match the schema instead of coercing or dropping it, so a typo is a 400 naming the field.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: (errors, dataVar) => new Error(describeSchemaError(errors[0] as any, dataVar)),
  });
  app.decorateRequest('owner', null);

  // File uploads are raw bytes whatever their type; only application/json bodies are parsed.
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Decided by the matched route, not by the URL's spelling: everything but these needs the token (unknown URLs too).
  const PUBLIC_ROUTES = new Set(['/health', '/openapi.json']);
  app.addHook('onRequest', async (request) => {
    if (!PUBLIC_ROUTES.has(request.routeOptions.url ?? '')) request.owner = auth.check(request.headers.authorization);
  });

  app.setErrorHandler((error: any, request, reply) => {
    const known = toHttpError(error);
    if (known.status >= 500) {
      // A server-side failure is worth a line on stderr even without --log.
      if (options.log) request.log.error(error);
      else process.stderr.write(`golem-exec: ${request.method} ${request.url}: ${error?.stack ?? error}\n`);
    }
    void reply.code(known.status).headers(known.headers).send(known.body());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(new HttpError(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`).body());
  });

  // ---- service ----

  app.get('/health', async () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000), ...admission.stats(), ...store.stats() }));

  app.get('/info', async () => ({
    ...executor.info(),
    service: {
      auth: auth.enabled ? 'bearer' : 'none',
      bodyLimitBytes: app.initialConfig.bodyLimit,
      idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
      maxLimits,
      ...admission.stats(),
      ...store.stats(),
    },
  }));

  app.get('/openapi.json', async () => openApiDocument(executor.info().version));

  // ---- stateless runs ----

  app.post<{ Body: RunOptions }>('/v1/run', { schema: { body: runRequestSchema }, preValidation: requireJson }, async (request, reply) => {
    const reservation = admission.reserve();
    return reservation.run(() => executor.run({ ...poolable(withinServerLimits(request.body, maxLimits), maxLimits), signal: cancelOnDisconnect(reply) })).then(okResponse, runOutcome);
  });

  app.post<{ Body: RunOptions }>('/v1/run/stream', { schema: { body: runRequestSchema }, preValidation: requireJson }, async (request, reply) => {
    const reservation = admission.reserve();
    await reservation.run(async () => {
      const run = executor.stream({ ...poolable(withinServerLimits(request.body, maxLimits), maxLimits), signal: cancelOnDisconnect(reply) }); // throws OptionError (400) before anything runs
      if (request.body.stdin === undefined) run.stdin.end(); // no live stdin over HTTP: the program sees EOF
      await streamTo(run, request, reply);
    });
  });

  // ---- sessions ----

  app.post<{ Body: { language: Language } }>('/v1/sessions', { schema: { body: createSessionRequestSchema }, preValidation: requireJson }, async (request, reply) => {
    const meta = await store.create(request.body.language, request.owner);
    return reply.code(201).send(publicMeta(meta));
  });

  app.get('/v1/sessions', async (request) => ({ sessions: store.list(request.owner).map(publicMeta) }));

  app.get<{ Params: SessionParams }>('/v1/sessions/:id', async (request) => publicMeta(store.get(request.params.id, request.owner).meta));

  app.delete<{ Params: SessionParams }>('/v1/sessions/:id', async (request, reply) => {
    await store.delete(store.get(request.params.id, request.owner));
    return reply.code(204).send();
  });

  app.get<{ Params: SessionParams; Querystring: { dir?: string } }>('/v1/sessions/:id/files', async (request) => {
    const entry = store.get(request.params.id, request.owner);
    const files = await store.use(entry, (session) => session.listFiles(request.query.dir || '.')).catch(rethrowFileError);
    return { files };
  });

  app.get<{ Params: SessionParams }>('/v1/sessions/:id/files/*', async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const path = request.params['*'];
    if (!path) {
      const files = await store.use(entry, (session) => session.listFiles('.')).catch(rethrowFileError);
      return { files };
    }
    const bytes = await store.use(entry, (session) => session.download(path)).catch(rethrowFileError);
    return reply.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.put<{ Params: SessionParams; Body: unknown }>('/v1/sessions/:id/files/*', async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const path = request.params['*'];
    if (!path) throw badRequest('missing file path: PUT /v1/sessions/{id}/files/{path}');
    const file = uploadedFile(path, request.body);
    await store.use(entry, (session) => session.upload(file)).catch(rethrowFileError);
    return reply.code(204).send();
  });

  app.delete<{ Params: SessionParams }>('/v1/sessions/:id/files/*', async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const path = request.params['*'];
    if (!path) throw badRequest('missing file path: DELETE /v1/sessions/{id}/files/{path}');
    await store.use(entry, (session) => session.remove(path)).catch(rethrowFileError);
    return reply.code(204).send();
  });

  type SessionRunBody = SessionRunOptions & { entrypoint: string };
  const sessionRunSchema = { schema: { body: sessionRunRequestSchema }, preValidation: requireJson };

  app.post<{ Params: SessionParams; Body: SessionRunBody }>('/v1/sessions/:id/run', sessionRunSchema, async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const { entrypoint, ...run } = request.body;
    return store.use(entry, (session) => session.run(entrypoint, { ...withinServerLimits(run, maxLimits), signal: cancelOnDisconnect(reply) })).then(okResponse, runOutcome);
  });

  app.post<{ Params: SessionParams; Body: SessionRunBody }>('/v1/sessions/:id/run/stream', sessionRunSchema, async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const { entrypoint, ...options } = request.body;
    await store.use(entry, async (session) => {
      const run = session.stream(entrypoint, { ...withinServerLimits(options, maxLimits), signal: cancelOnDisconnect(reply) });
      if (options.stdin === undefined) run.stdin.end();
      await streamTo(run, request, reply);
    });
  });

  app.post<{ Params: SessionParams; Body: { code: string; limits?: Limits } }>('/v1/sessions/:id/eval', { schema: { body: evalRequestSchema } }, async (request, reply) => {
    const entry = store.get(request.params.id, request.owner);
    const { code, ...options } = request.body;
    return store.use(entry, (session) => session.eval(code, { ...withinServerLimits(options, executor.defaults), signal: cancelOnDisconnect(reply) })).then(evalResponse, evalOutcome);
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    executor,
    async listen(port, host) {
      await app.listen({ port, host });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
      return { host: address.address, port: address.port };
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await store.close();
        await executor.close();
      })();
      return closing;
    },
  };
}

/**
 * The Executor keeps a pool of warm sandboxes per distinct memory cap; stateless runs get their cap's memory class
 * (api/limits.ts memoryClass), so a client sending a new `memoryBytes` each time cannot make the server start pool
 * after pool.
 */
function poolable(options: RunOptions, max: MaxLimits): RunOptions {
  const asked = options.limits?.memoryBytes;
  const rounded = memoryClass(asked, max.memoryBytes);
  return rounded === asked ? options : { ...options, limits: { ...options.limits, memoryBytes: rounded } };
}

/**
 * A client may ask for less of the limits LIMITS marks `serverCeiling` (time, memory, file size, disk) than the server's
 * ceilings, not more: one client's run must not hold a slot for hours, nor take the memory or the disk the others share.
 */
function withinServerLimits<T extends { limits?: Limits }>(options: T, max: MaxLimits): T {
  for (const name of LIMIT_NAMES) {
    if (!(LIMITS[name] as LimitSpec).serverCeiling) continue;
    const asked = options.limits?.[name];
    const ceiling = (max as Partial<Record<LimitName, number>>)[name];
    if (typeof asked === 'number' && ceiling !== undefined && asked > ceiling) throw badRequest(`limits.${name}: at most ${ceiling} on this server (got ${asked})`);
  }
  return options;
}

/**
 * Routes whose body is a JSON request: any other content type (raw bytes are accepted for uploads, so the body would
 * reach the schema as bytes and fail as "missing required field") is a 415 that says so.
 */
async function requireJson(request: FastifyRequest) {
  const type = request.headers['content-type'];
  if (!/^application\/json\s*(;|$)/i.test(type ?? '')) {
    throw new HttpError(415, 'unsupported-media-type', `the request body must be JSON sent with Content-Type: application/json (got ${type ? JSON.stringify(type) : 'no Content-Type'})`);
  }
}

/** Streams a run as the answer; until the first event, failures are ordinary error answers. */
async function streamTo(run: import('../index.js').RunStream, request: FastifyRequest, reply: FastifyReply) {
  await pipeRun(run, reply.raw, streamFormat(request.headers.accept), () => reply.hijack());
}

function publicMeta(meta: { id: string; language: string; createdAt: string; lastUsedAt: string }) {
  return { id: meta.id, language: meta.language, createdAt: meta.createdAt, lastUsedAt: meta.lastUsedAt };
}

/** A PUT body as a file: raw bytes (any content type but JSON), or JSON `{content, encoding?}`. */
function uploadedFile(name: string, body: unknown): FileInput {
  if (body === undefined || body === null) return { name, content: new Uint8Array() };
  if (Buffer.isBuffer(body)) return { name, content: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('a JSON upload must be an object {"content": "...", "encoding": "utf8|base64|hex"}');
  const { content, encoding, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw badRequest(`unknown field${unknown.length > 1 ? 's' : ''} in the JSON upload: ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (typeof content !== 'string') throw badRequest('content: expected a string (send raw bytes with Content-Type: application/octet-stream)');
  if (encoding !== undefined && !['utf8', 'base64', 'hex'].includes(encoding as string)) {
    throw badRequest(`encoding: expected one of utf8, base64, hex (got ${JSON.stringify(encoding)})`);
  }
  return { name, content, encoding: encoding as FileInput['encoding'] };
}

function rethrowFileError(error: unknown): never {
  throw fileCallError(error);
}

/** One JSON-schema violation as a sentence naming the field: `limits.timeMs: must be >= 1`. */
function describeSchemaError(error: { instancePath: string; keyword: string; message?: string; params: any }, dataVar: string): string {
  const field = error.instancePath.split('/').filter(Boolean).join('.') || dataVar;
  switch (error.keyword) {
    case 'required': return `${field}: missing required field "${error.params.missingProperty}"`;
    case 'additionalProperties': return `${field}: unknown field "${error.params.additionalProperty}"`;
    case 'enum': return `${field}: expected one of ${error.params.allowedValues.join(', ')}`;
    default: return `${field}: ${error.message}`;
  }
}

/** Any error a route throws, as the answer to send. */
function toHttpError(error: any): HttpError {
  if (error instanceof HttpError) return error;
  try {
    runOutcome(error); // OptionError and bad input become 400s, sandbox failures 500s
  } catch (mapped) {
    if (mapped instanceof HttpError) return mapped;
  }
  const status = typeof error?.statusCode === 'number' ? error.statusCode : 500;
  if (status === 413) return new HttpError(413, 'too-large', `the request body is larger than the server's limit (${error.message})`);
  if (status === 415) return new HttpError(415, 'unsupported-media-type', error.message);
  if (status >= 400 && status < 500) return new HttpError(status, 'bad-request', error.message);
  return new HttpError(500, 'internal', 'internal server error');
}

/**
 * A client that goes away before its answer is complete has its run stopped (the library terminates the sandbox),
 * so an abandoned request does not hold a slot until its time limit.
 */
function cancelOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}
