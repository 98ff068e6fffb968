// What the service answers: a run's outcome as one JSON shape (the exec-result, or the error variant with whatever
// output the program produced), and the HTTP errors for requests that could not be run at all.
import { ExecError, OptionError, type EvalResult, type RunResult, type StageResult } from '../index.js';
import { isDataWorkUnavailable } from '../api/data-run.js';

/**
 * The body of a 200 answer to a run. `ok` is true when the program ended by itself or by exit (any exit code);
 * otherwise `error` holds the WIT error variant (`compilation-failed`, `runtime-failed`, `timeout`,
 * `resource-exceeded`, `internal`) and stdout/stderr/exitCode hold what the failed stage produced (a run stopped at
 * its time or memory limit: what it printed until then).
 */
export interface RunResponse {
  ok: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  compile: StageResult | null;
  timeMs: number | null;
  memoryBytes: number | null;
  error: { tag: string; message: string } | null;
}

export function okResponse(result: RunResult): RunResponse {
  return {
    ok: true, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, signal: result.signal,
    compile: result.compile, timeMs: result.timeMs, memoryBytes: result.memoryBytes, error: null,
  };
}

export function errorResponse(error: ExecError): RunResponse {
  const stage = error.stage;
  return {
    ok: false, stdout: error.stdout, stderr: error.stderr, exitCode: stage?.exitCode ?? null,
    signal: stage?.signal ?? null, compile: null, timeMs: null, memoryBytes: null,
    error: { tag: error.tag, message: error.message },
  };
}

/**
 * The body of a 200 answer to an evaluation (`POST /v1/sessions/{id}/eval`): the EvalResult's fields, with `ok` and
 * `error` as in a RunResponse (a failed evaluation has `value` null, and `stateReset` as its error says).
 */
export type EvalResponse = EvalResult & { ok: boolean; error: { tag: string; message: string } | null };

export function evalResponse(result: EvalResult): EvalResponse {
  return { ok: true, ...result, error: null };
}

/** A failed evaluation as a 200 body, or the HttpError it stands for (as runOutcome decides for runs). */
export function evalOutcome(error: unknown): EvalResponse {
  const failed = runOutcome(error);
  const stateReset = error instanceof ExecError && error.stateReset === true;
  return { ok: false, stdout: failed.stdout, stderr: failed.stderr, value: null, stateReset, timeMs: null, memoryBytes: null, error: failed.error };
}

/** An answer other than 200: status, a short machine-readable code and a message for people. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }

  body() {
    return { error: { code: this.code, message: this.message } };
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad-request', message);
export const notFound = (message: string) => new HttpError(404, 'not-found', message);

/** The guests report bad paths and names as `internal("bad input: …")` (see README, "Choices where the ticket is silent"). */
const BAD_INPUT = /^bad input: /;
/** A path that names no file or directory of the session (the two guests word it differently). */
const MISSING = /is not a file|is not a directory|no such file|does not exist|not found/i;

/**
 * A run's outcome as a 200 body, or the HttpError that stands for a request that was wrong (bad options or paths,
 * 400) or a sandbox that failed (500). A program's failures (compile, runtime, timeout, resources) are 200s.
 */
export function runOutcome(error: unknown): RunResponse {
  if (error instanceof OptionError) throw badRequest(error.message);
  if (error instanceof ExecError) {
    if (error.tag === 'internal' && BAD_INPUT.test(error.message)) throw badRequest(error.message);
    // The language is checked by the schema: a language the sandbox refuses is a `version` it does not run, unless
    // it is the data-work interpreter's refusal (Node < 24, an evaluation), which the caller reads in the result.
    if (error.tag === 'unsupported-language' && !isDataWorkUnavailable(error)) throw badRequest(`version: ${error.message}`);
    if (error.tag === 'internal') throw sandboxFailure(error);
    return errorResponse(error);
  }
  throw error;
}

/** For calls that are not runs (upload, download, list): every ExecError is an HTTP error. */
export function fileCallError(error: unknown): unknown {
  if (error instanceof OptionError) return badRequest(error.message);
  if (!(error instanceof ExecError)) return error;
  if (error.tag === 'resource-exceeded') return new HttpError(413, 'too-large', error.message);
  if (error.tag === 'internal' && MISSING.test(error.message)) return notFound(error.message);
  if (error.tag === 'internal' && BAD_INPUT.test(error.message)) return badRequest(error.message);
  return sandboxFailure(error);
}

function sandboxFailure(error: ExecError): HttpError {
  return new HttpError(500, 'sandbox-error', `${error.tag}: ${error.message}`);
}
