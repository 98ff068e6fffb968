// JSON schemas of the request and response bodies: fastify validates requests with them and the OpenAPI document
// (openapi.ts) is built from the same objects, so the documentation cannot drift from what is enforced. Value rules
// the library checks itself (ranges, env names, exactly one of code/files) are enforced there and reported as 400s.

import { LIMITS, LIMIT_NAMES } from '../api/limits.js';
import { LANGUAGE_NAME_LIST } from '../api/languages.js';

/** What the service does with a stateless run's memoryBytes (server.ts, `poolable`). */
const MEMORY_ROUNDING = 'stateless runs round it up to a power of two, sessions use the server default';

export const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Limits of one run; omitted fields use the server defaults (see GET /info).',
  properties: Object.fromEntries(LIMIT_NAMES.map((name) => {
    const { min, max, description } = LIMITS[name];
    return [name, { type: 'integer', minimum: min, maximum: max, description: name === 'memoryBytes' ? `${description}; ${MEMORY_ROUNDING}` : description }];
  })),
} as const;

export const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'content'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'relative path inside the sandbox (subdirectories allowed; no ".", ".." or empty segment; at most 1024 bytes, 255 a segment, 64 segments); each name once' },
    content: { type: 'string' },
    encoding: { type: 'string', enum: ['utf8', 'base64', 'hex'], default: 'utf8', description: 'how `content` is encoded' },
  },
} as const;

const runCommon = {
  stdin: { type: 'string', description: "the program's stdin (text)" },
  args: { type: 'array', items: { type: 'string' }, description: 'arguments after the entry file' },
  env: { type: 'object', additionalProperties: { type: 'string' }, description: "the program's whole environment" },
  limits: limitsSchema,
} as const;

export const runRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['language'],
  description: 'Give exactly one of `code` (becomes main.js / main.py) or `files` (the entry is `entry` or the first file).',
  properties: {
    language: { type: 'string', enum: [...LANGUAGE_NAME_LIST] },
    version: { type: 'string', description: 'language version, e.g. "3.14" (accepted and ignored by JavaScript)' },
    code: { type: 'string' },
    files: { type: 'array', items: fileSchema, minItems: 1 },
    entry: { type: 'string', minLength: 1 },
    ...runCommon,
  },
} as const;

export const sessionRunRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entrypoint'],
  properties: {
    entrypoint: { type: 'string', minLength: 1, description: 'file to run, relative to the session root' },
    ...runCommon,
  },
} as const;

export const evalRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: {
    code: { type: 'string', description: "source evaluated against the session's REPL state" },
    limits: limitsSchema,
  },
} as const;

export const evalResponseSchema = {
  type: 'object',
  required: ['ok', 'stdout', 'stderr', 'value', 'stateReset', 'timeMs', 'memoryBytes', 'error'],
  properties: {
    ok: { type: 'boolean' },
    stdout: { type: 'string' },
    stderr: { type: 'string' },
    value: { type: ['string', 'null'], description: "the final expression's value as the REPL shows it" },
    stateReset: { type: 'boolean', description: 'the REPL state was discarded since the previous successful evaluation' },
    timeMs: { type: ['number', 'null'] },
    memoryBytes: { type: ['number', 'null'] },
    error: { type: ['object', 'null'], properties: { tag: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export const createSessionRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['language'],
  properties: { language: { type: 'string', enum: [...LANGUAGE_NAME_LIST] } },
} as const;

export const jsonUploadSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['content'],
  properties: {
    content: { type: 'string' },
    encoding: { type: 'string', enum: ['utf8', 'base64', 'hex'], default: 'utf8' },
  },
} as const;

const stageSchema = {
  type: 'object',
  properties: {
    stdout: { type: 'string' },
    stderr: { type: 'string' },
    exitCode: { type: ['integer', 'null'] },
    signal: { type: ['string', 'null'] },
  },
} as const;

export const runResponseSchema = {
  type: 'object',
  description: 'The outcome of a run. `ok` is true when the program ended by itself or by exit (any exit code); '
    + 'otherwise `error.tag` is the WIT error variant and stdout/stderr/exitCode hold what the failed stage produced.',
  required: ['ok', 'stdout', 'stderr', 'exitCode', 'signal', 'compile', 'timeMs', 'memoryBytes', 'error'],
  properties: {
    ok: { type: 'boolean' },
    ...stageSchema.properties,
    compile: { anyOf: [stageSchema, { type: 'null' }] },
    timeMs: { type: ['integer', 'null'] },
    memoryBytes: { type: ['integer', 'null'] },
    error: {
      anyOf: [{ type: 'null' }, {
        type: 'object',
        properties: {
          tag: { type: 'string', enum: ['compilation-failed', 'runtime-failed', 'timeout', 'resource-exceeded'] },
          message: { type: 'string' },
        },
      }],
    },
  },
} as const;

export const errorResponseSchema = {
  type: 'object',
  description: 'Any answer other than 200/201/204.',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: ['bad-request', 'unauthorized', 'not-found', 'too-large', 'unsupported-media-type', 'overloaded', 'too-many-sessions', 'sandbox-error', 'internal'] },
        message: { type: 'string' },
      },
    },
  },
} as const;

export const sessionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    language: { type: 'string', enum: [...LANGUAGE_NAME_LIST] },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: 'string', format: 'date-time' },
  },
} as const;
