// The OpenAPI 3.1 document served at /openapi.json, written by hand from the same schema objects the routes validate
// with (schemas.ts). JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so they are used unchanged.
import {
  createSessionRequestSchema, errorResponseSchema, evalRequestSchema, jsonUploadSchema, runRequestSchema, runResponseSchema,
  sessionRunRequestSchema, sessionSchema, evalResponseSchema,
} from './schemas.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const common = {
  '400': error('bad input (the message names what was wrong)'),
  '401': error('missing or wrong bearer token (only when the server has tokens)'),
  '503': { ...error('overloaded: retry after the Retry-After header (seconds)'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
};
const sessionCommon = { ...common, '404': error('unknown session (or one created with another token)') };
const sessionId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const filePath = { name: 'path', in: 'path', required: true, description: "file path relative to the session root; may contain '/'", schema: { type: 'string' } };

const streamEvents = 'Events as they happen: `{"type":"stdout"|"stderr","data":"<text>"}` while the program runs, then one '
  + '`{"type":"result", ...RunResult}`; a failure of the sandbox itself ends with `{"type":"error","error":{code,message}}`. '
  + 'NDJSON (one JSON object a line) by default; with `Accept: text/event-stream`, Server-Sent Events whose `event:` is the type '
  + 'and whose `data:` is the same JSON object. The answer starts with the first event.';

const streamResponse = {
  description: streamEvents,
  content: { 'application/x-ndjson': { schema: { type: 'string' } }, 'text/event-stream': { schema: { type: 'string' } } },
};

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'golem-exec',
      version,
      description: 'Run untrusted JavaScript and Python in WebAssembly sandboxes: stateless runs, streamed runs and durable '
        + 'sessions whose files persist across requests and restarts. A program that exits non-zero, fails to compile, '
        + 'throws or times out is a 200 answer carrying the outcome.',
    },
    components: {
      schemas: { RunRequest: runRequestSchema, SessionRunRequest: sessionRunRequestSchema, RunResult: runResponseSchema, Error: errorResponseSchema, Session: sessionSchema, EvalResult: evalResponseSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    // Relative: the document is served by the server it describes, whatever address it is reached at.
    servers: [{ url: '/', description: 'this server' }],
    security: [{ bearer: [] }, {}],
    paths: {
      '/v1/run': {
        post: {
          operationId: 'run',
          summary: 'Run a program to completion',
          requestBody: { required: true, content: json(ref('RunRequest')) },
          responses: { '200': { description: 'the run outcome', content: json(ref('RunResult')) }, '413': error('body too large'), ...common },
        },
      },
      '/v1/run/stream': {
        post: {
          operationId: 'runStream',
          summary: 'Run a program, streaming its output',
          requestBody: { required: true, content: json(ref('RunRequest')) },
          responses: { '200': streamResponse, '413': error('body too large'), ...common },
        },
      },
      '/v1/sessions': {
        get: {
          operationId: 'listSessions',
          summary: "The sessions of the caller's token, oldest first",
          responses: { '200': { description: 'the sessions', content: json({ type: 'object', properties: { sessions: { type: 'array', items: ref('Session') } } }) }, ...common },
        },
        post: {
          operationId: 'createSession',
          summary: 'Create a session (a sandbox whose files persist)',
          requestBody: { required: true, content: json(createSessionRequestSchema) },
          responses: { '201': { description: 'created', content: json(ref('Session')) }, ...common },
        },
      },
      '/v1/sessions/{id}': {
        get: { operationId: 'getSession', summary: 'A session (its language, creation and last use)', parameters: [sessionId], responses: { '200': { description: 'the session', content: json(ref('Session')) }, ...sessionCommon } },
        delete: { operationId: 'deleteSession', summary: 'Delete a session and its files', parameters: [sessionId], responses: { '204': { description: 'deleted' }, ...sessionCommon } },
      },
      '/v1/sessions/{id}/files': {
        get: {
          operationId: 'listSessionFiles',
          summary: 'List files below a directory, recursively',
          parameters: [sessionId, { name: 'dir', in: 'query', schema: { type: 'string', default: '.' } }],
          responses: { '200': { description: 'sorted relative paths', content: json({ type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } }) }, ...sessionCommon },
        },
      },
      '/v1/sessions/{id}/files/{path}': {
        put: {
          operationId: 'uploadSessionFile',
          summary: 'Write a file',
          description: 'The raw body is the file (any content type except application/json); with application/json the body is `{content, encoding}`.',
          parameters: [sessionId, filePath],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, ...json(jsonUploadSchema) } },
          responses: { '204': { description: 'written' }, '413': error('body or file too large'), ...sessionCommon },
        },
        get: {
          operationId: 'downloadSessionFile',
          summary: 'Read a file (raw bytes)',
          parameters: [sessionId, filePath],
          responses: { '200': { description: 'the bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...sessionCommon },
        },
        delete: {
          operationId: 'deleteSessionFile',
          summary: 'Delete a file (not a directory)',
          description: 'Relative to the working directory, as for reading it; a symlink is removed, not its target. 404 if the session has no such file.',
          parameters: [sessionId, filePath],
          responses: { '204': { description: 'deleted' }, ...sessionCommon },
        },
      },
      '/v1/sessions/{id}/run': {
        post: {
          operationId: 'runInSession',
          summary: "Run a file of the session (after the session's earlier requests)",
          parameters: [sessionId],
          requestBody: { required: true, content: json(ref('SessionRunRequest')) },
          responses: { '200': { description: 'the run outcome', content: json(ref('RunResult')) }, ...sessionCommon },
        },
      },
      '/v1/sessions/{id}/run/stream': {
        post: {
          operationId: 'runInSessionStream',
          summary: 'Run a file of the session, streaming its output',
          parameters: [sessionId],
          requestBody: { required: true, content: json(ref('SessionRunRequest')) },
          responses: { '200': streamResponse, ...sessionCommon },
        },
      },
      '/v1/sessions/{id}/eval': {
        post: {
          operationId: 'evalInSession',
          summary: "Evaluate code against the session's REPL state",
          description: 'Names an evaluation defines stay for the next evaluations of the session (not for its runs, nor any other '
            + "session). `value` is the final expression's value as the language's REPL shows it (Python `repr()`, JavaScript as "
            + "Node's REPL inspects it), null when there is none. An evaluation stopped at a limit discards the REPL state (the "
            + 'files stay), as does an eviction or a restart; every evaluation after that has `stateReset: true` until one succeeds. A failure is a 200 with `ok: false` and `error`, as for runs.',
          parameters: [sessionId],
          requestBody: { required: true, content: json(evalRequestSchema) },
          responses: { '200': { description: 'the evaluation outcome', content: json(ref('EvalResult')) }, ...sessionCommon },
        },
      },
      '/health': { get: { operationId: 'health', summary: 'Liveness and load', security: [], responses: { '200': { description: 'ok' } } } },
      '/info': { get: { operationId: 'info', summary: 'Versions, languages, limits and their enforcement, service settings', responses: { '200': { description: 'info' } } } },
      '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
