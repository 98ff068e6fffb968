// Validation of the caller's options (zod schemas) and their translation into WIT arguments. Every problem becomes
// an OptionError naming the option and quoting the value, before anything runs.
import { z } from 'zod';
import { realpathSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import type { MountSpec } from '../engine/protocol.js';
import { OptionError } from './errors.js';
import { LIMITS, LIMIT_NAMES, NAME_LIMITS, type LimitName, type LimitSpec } from './limits.js';
import { type EvalOptions, type FileInput, type Language, type Limits, type RunOptions, type SessionRunOptions } from './types.js';
import { LANGUAGE_NAMES, LANGUAGE_NAME_LIST, isLanguageName, type LanguageName } from './languages.js';
import { WORKSPACE_PATH } from '../engine/guest-layout.js';

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a string or a Uint8Array');
const text = z.union([z.string(), bytes]);
const withoutNul = (what: string) => z.string().refine((value) => !value.includes('\0'), `expected ${what} without NUL`);

/**
 * Why `path` cannot name a file the caller creates (undefined if it can): a relative path of plain segments (no ".",
 * "..", empty segment) within NAME_LIMITS. With `boundsOnly`, just NUL and the lengths are checked (a path into an
 * existing session, which the guest resolves against its working directory).
 */
function pathProblem(path: string, { boundsOnly = false } = {}): string | undefined {
  if (path === '') return 'expected a non-empty relative path';
  if (path.includes('\0')) return 'expected a path without NUL';
  const bytes = Buffer.byteLength(path);
  if (bytes > NAME_LIMITS.bytes) return `${bytes} bytes long; at most ${NAME_LIMITS.bytes}`;
  const segments = path.split('/');
  if (segments.length > NAME_LIMITS.depth) return `${segments.length} segments deep; at most ${NAME_LIMITS.depth}`;
  const long = segments.find((segment) => Buffer.byteLength(segment) > NAME_LIMITS.segmentBytes);
  if (long !== undefined) return `a segment is ${Buffer.byteLength(long)} bytes long; at most ${NAME_LIMITS.segmentBytes}`;
  if (boundsOnly) return undefined;
  if (path.startsWith('/')) return 'expected a relative path (this one is absolute)';
  for (const segment of segments) {
    if (segment === '') return 'expected no empty segment (no "//", no leading or trailing "/")';
    if (segment === '.' || segment === '..') return `expected no "${segment}" segment`;
  }
  return undefined;
}

/** A path schema (see pathProblem); with `root`, "." (the root itself) is allowed too. */
const relativePath = ({ root = false, boundsOnly = false } = {}) => z.string().superRefine((value, ctx) => {
  const problem = root && value === '.' ? undefined : pathProblem(value, { boundsOnly });
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});


/** A limit as LIMITS describes it: a whole number in its range. */
function limitSchema({ min, max, minText, maxText }: LimitSpec) {
  return z.number().int('expected a whole number')
    .min(min, min === 0 ? 'expected 0 or more' : `expected at least ${minText ?? min}`)
    .max(max, `expected at most ${maxText ?? max}`)
    .optional();
}

export const limitsSchema = z.strictObject(
  Object.fromEntries(LIMIT_NAMES.map((name) => [name, limitSchema(LIMITS[name])])) as Record<LimitName, ReturnType<typeof limitSchema>>,
);

/**
 * base64 and hex text (whitespace ignored) as the guests' decoders accept it (components/javascript/src/input.ts; the
 * Python guest's base64 refuses whitespace): the host decodes it and sends bytes, so both guests get the same bytes
 * and a malformed content is an OptionError here, not a guest's `internal` error.
 */
const ENCODED = {
  base64: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  hex: /^(?:[0-9a-fA-F]{2})*$/,
} as const;

const fileSchema = z.strictObject({
  name: relativePath(),
  content: text,
  encoding: z.enum(['utf8', 'base64', 'hex']).optional(),
}).superRefine((file, ctx) => {
  if (typeof file.content !== 'string' || (file.encoding !== 'base64' && file.encoding !== 'hex')) return;
  if (!ENCODED[file.encoding].test(file.content.replace(/\s+/g, ''))) {
    ctx.addIssue({ code: 'custom', path: ['content'], message: `the content of ${JSON.stringify(file.name)} is not valid ${file.encoding}` });
  }
}).transform((file): FileInput => {
  if (typeof file.content !== 'string' || (file.encoding !== 'base64' && file.encoding !== 'hex')) return file;
  return { name: file.name, content: new Uint8Array(Buffer.from(file.content.replace(/\s+/g, ''), file.encoding)) };
});

const mountSchema = z.strictObject({
  hostPath: z.string().min(1, 'expected a host directory'),
  guestPath: z.string(),
  readOnly: z.boolean().optional(),
});
const mountsSchema = z.array(mountSchema);

const common = {
  stdin: text.optional(),
  args: z.array(withoutNul('an argument')).optional(),
  env: z.record(z.string().regex(/^[^=\0]+$/, 'expected a name without "=" or NUL'), withoutNul('a value')).optional(),
  limits: limitsSchema.optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'expected an AbortSignal').optional(),
};

const runSchema = z.strictObject({
  language: z.enum(LANGUAGE_NAME_LIST as [LanguageName, ...LanguageName[]], `expected one of ${LANGUAGE_NAME_LIST.join(', ')}`),
  version: z.string().optional(),
  code: z.string().optional(),
  files: z.array(fileSchema).min(1, 'expected at least one file').optional(),
  entry: z.string().min(1).optional(),
  // "." is the files' root; anything else a directory below it.
  cwd: relativePath({ root: true }).optional(),
  fresh: z.boolean().optional(),
  mounts: mountsSchema.optional(),
  ...common,
});

const sessionRunSchema = z.strictObject(common);

const evalSchema = z.strictObject({ limits: common.limits, signal: common.signal });

function parse<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // An unknown key is named itself (`limits.timeout`), not the object holding it.
  const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].map(String);
  const option = [root, ...path].filter(Boolean).join('.') || root || 'options';
  let offending: unknown = value;
  for (const key of issue.path) offending = (offending as any)?.[key as any];
  const reason = issue.code === 'unrecognized_keys' ? `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  throw new OptionError(option, issue.code === 'unrecognized_keys' ? undefined : offending, reason);
}

/**
 * Run options after validation: the language itself (not an alias), `code` as the files it stands for (saved under
 * the language name's entry file, e.g. main.ts for `typescript`), mounts resolved (see validateMounts).
 */
export type ValidRunOptions = Omit<RunOptions, 'mounts' | 'language' | 'code'> & { language: Language; files: FileInput[]; mounts: MountSpec[] };

export function validateRunOptions(options: unknown): ValidRunOptions {
  if (typeof options !== 'object' || options === null) throw new OptionError('options', options, 'expected an object');
  const { code, ...parsed } = { ...parse(runSchema, options, ''), mounts: validateMounts((options as RunOptions).mounts) };
  const { language, entry } = LANGUAGE_NAMES[parsed.language];
  if ((code === undefined) === (parsed.files === undefined)) {
    throw new OptionError('code/files', undefined, 'give exactly one of `code` (a source string) or `files`');
  }
  if (parsed.files) checkDistinctNames(parsed.files);
  if (parsed.entry !== undefined && !parsed.files?.some((file) => file.name === parsed.entry)) {
    throw new OptionError('entry', parsed.entry, 'not among the names in `files`');
  }
  return { ...parsed, language, files: parsed.files ?? [{ name: entry, content: code! }] };
}

/**
 * The files of one run are written into one directory: each name once, and no name both a file and a directory of
 * another (the later write would fail inside the sandbox, or silently replace the earlier file).
 */
function checkDistinctNames(files: readonly FileInput[]) {
  const names = new Set<string>();
  const dirs = new Set<string>();
  files.forEach(({ name }, i) => {
    const option = `files.${i}.name`;
    if (names.has(name)) throw new OptionError(option, name, 'given twice in `files`');
    if (dirs.has(name)) throw new OptionError(option, name, 'is also the directory of another file in `files`');
    const segments = name.split('/');
    for (let end = 1; end < segments.length; end++) {
      const dir = segments.slice(0, end).join('/');
      if (names.has(dir)) throw new OptionError(option, name, `its directory "${dir}" is also a file in \`files\``);
      dirs.add(dir);
    }
    names.add(name);
  });
}

/**
 * Checks `mounts` (undefined: none) and resolves each host path to its real path: it must be an existing directory;
 * the guest path absolute and normalised, not `/`, not `/workspace` or below it, and neither equal to, inside nor
 * around another mount's (a path under two mounts would be ambiguous between the guests' path resolution).
 */
export function validateMounts(mounts: unknown): MountSpec[] {
  if (mounts === undefined) return [];
  const valid: MountSpec[] = [];
  for (const [i, mount] of parse(mountsSchema, mounts, 'mounts').entries()) {
    const option = (field: string) => `mounts.${i}.${field}`;
    const { guestPath } = mount;
    if (!guestPath.startsWith('/')) throw new OptionError(option('guestPath'), guestPath, 'expected an absolute path such as "/data"');
    if (guestPath === '/') throw new OptionError(option('guestPath'), guestPath, 'cannot mount over the root directory');
    if (guestPath.includes('\0') || posix.normalize(guestPath) !== guestPath || guestPath.endsWith('/')) {
      throw new OptionError(option('guestPath'), guestPath, `expected a normalised path (no ".", "..", "//" or trailing "/"), such as ${JSON.stringify(posix.normalize(guestPath).replace(/(.)\/$/, '$1'))}`);
    }
    if (guestPath === WORKSPACE_PATH || guestPath.startsWith(`${WORKSPACE_PATH}/`)) {
      throw new OptionError(option('guestPath'), guestPath, `${WORKSPACE_PATH} and below it are the sandbox's own files`);
    }
    const clash = valid.find((m) => m.guestPath === guestPath || guestPath.startsWith(`${m.guestPath}/`) || m.guestPath.startsWith(`${guestPath}/`));
    if (clash) {
      throw new OptionError(option('guestPath'), guestPath, clash.guestPath === guestPath ? 'mounted twice' : `overlaps the mount at ${clash.guestPath}`);
    }
    let hostPath: string;
    try {
      hostPath = realpathSync(resolve(mount.hostPath));
      if (!statSync(hostPath).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    } catch (error: any) {
      const reason = error?.code === 'ENOENT' ? 'no such directory' : error?.code === 'ENOTDIR' ? 'not a directory' : `cannot be used (${error?.message})`;
      throw new OptionError(option('hostPath'), mount.hostPath, reason);
    }
    valid.push({ hostPath, guestPath, readOnly: mount.readOnly ?? true });
  }
  return valid;
}

export function validateSessionRunOptions(options: unknown = {}): SessionRunOptions {
  return parse(sessionRunSchema, options, '');
}

/** The code and options of a REPL evaluation (`Session.eval`). */
export function validateEval(code: unknown, options: unknown = {}): EvalOptions {
  if (typeof code !== 'string') throw new OptionError('code', code, 'expected a string of source code');
  return parse(evalSchema, options, '');
}

/** The language a name (LANGUAGE_NAMES: a language or an alias of one) stands for. */
export function validateLanguage(language: unknown, option = 'language'): Language {
  if (!isLanguageName(language)) {
    throw new OptionError(option, language, `expected one of ${LANGUAGE_NAME_LIST.join(', ')}`);
  }
  return LANGUAGE_NAMES[language].language;
}

/** A path into a session's files (an entrypoint, a download, a directory to list or enter): a string within NAME_LIMITS. */
export function validateSessionPath(option: string, path: unknown): string {
  return parse(relativePath({ boundsOnly: true }), path, option);
}

export function validateFile(file: unknown): FileInput {
  return parse(fileSchema, file, 'file');
}

export function validateLimits(limits: unknown): Limits {
  return parse(limitsSchema, limits, 'limits');
}
