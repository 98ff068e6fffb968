// Validation of the caller's options (zod schemas) and their translation into WIT arguments. Every problem becomes
// an OptionError naming the option and quoting the value, before anything runs.
import { z } from 'zod';
import { realpathSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import type { MountSpec } from '../engine/protocol.js';
import { OptionError } from './errors.js';
import { LIMITS, LIMIT_NAMES, type LimitName, type LimitSpec } from './limits.js';
import { LANGUAGES, type EvalOptions, type FileInput, type Language, type Limits, type RunOptions, type SessionRunOptions } from './types.js';
import { WORKSPACE_PATH } from '../engine/guest-layout.js';

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a string or a Uint8Array');
const text = z.union([z.string(), bytes]);

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

const fileSchema = z.strictObject({
  name: z.string().min(1, 'expected a non-empty file name'),
  content: text,
  encoding: z.enum(['utf8', 'base64', 'hex']).optional(),
});

const mountSchema = z.strictObject({
  hostPath: z.string().min(1, 'expected a host directory'),
  guestPath: z.string(),
  readOnly: z.boolean().optional(),
});
const mountsSchema = z.array(mountSchema);

const common = {
  stdin: text.optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string().regex(/^[^=\0]+$/, 'expected a name without "=" or NUL'), z.string()).optional(),
  limits: limitsSchema.optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'expected an AbortSignal').optional(),
};

const runSchema = z.strictObject({
  language: z.enum(LANGUAGES as [Language, ...Language[]], `expected one of ${LANGUAGES.join(', ')}`),
  version: z.string().optional(),
  code: z.string().optional(),
  files: z.array(fileSchema).min(1, 'expected at least one file').optional(),
  entry: z.string().min(1).optional(),
  cwd: z.string().min(1, 'expected a relative directory').optional(),
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
  const path = issue.path.map(String);
  const option = [root, ...path].filter(Boolean).join('.') || root || 'options';
  let offending: unknown = value;
  for (const key of issue.path) offending = (offending as any)?.[key as any];
  const reason = issue.code === 'unrecognized_keys' ? `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  throw new OptionError(option, issue.code === 'unrecognized_keys' ? undefined : offending, reason);
}

/** Run options after validation: mounts resolved (see validateMounts). */
export type ValidRunOptions = Omit<RunOptions, 'mounts'> & { mounts: MountSpec[] };

export function validateRunOptions(options: unknown): ValidRunOptions {
  if (typeof options !== 'object' || options === null) throw new OptionError('options', options, 'expected an object');
  const parsed = { ...parse(runSchema, options, ''), mounts: validateMounts((options as RunOptions).mounts) };
  if ((parsed.code === undefined) === (parsed.files === undefined)) {
    throw new OptionError('code/files', undefined, 'give exactly one of `code` (a source string) or `files`');
  }
  if (parsed.entry !== undefined && !parsed.files?.some((file) => file.name === parsed.entry)) {
    throw new OptionError('entry', parsed.entry, 'not among the names in `files`');
  }
  return parsed;
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

/** A session file's path (`Session.remove`): whether it names a file of the session is the guest's to say. */
export function validatePath(path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new OptionError('path', path, 'expected a non-empty string');
  return path;
}

export function validateLanguage(language: unknown, option = 'language'): Language {
  if (!LANGUAGES.includes(language as Language)) {
    throw new OptionError(option, language, `expected one of ${LANGUAGES.join(', ')}`);
  }
  return language as Language;
}

export function validateFile(file: unknown): FileInput {
  return parse(fileSchema, file, 'file');
}

export function validateLimits(limits: unknown): Limits {
  return parse(limitsSchema, limits, 'limits');
}
