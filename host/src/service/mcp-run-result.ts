// A run's answer as the MCP run tools give it (`run_<language>` in mcp.ts, `session_run` in mcp-sessions.ts): plain
// text an agent reads at a glance (exit code, error, stdout, stderr in labelled blocks) plus the same facts as
// structured content.
import { z } from 'zod';
import { ExecError, OptionError, type RunResult } from '../index.js';
import { block } from './mcp-text.js';

export const runOutputShape = {
  ok: z.boolean().describe('true when the program ran to its end (exit code may still be non-zero)'),
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  error: z.object({ tag: z.string(), message: z.string() }).nullable()
    .describe('compilation-failed, runtime-failed, timeout, resource-exceeded or internal; null when ok'),
  time_ms: z.number().nullable(),
};

export type RunOutput = { ok: boolean; exit_code: number | null; stdout: string; stderr: string; error: { tag: string; message: string } | null; time_ms: number | null };

/** A run's outcome: its result, the ExecError it failed with, or the message of the caller's bad option (a string). */
export async function runOutcome(run: () => Promise<RunResult>): Promise<RunOutput | string> {
  try {
    const result = await run();
    return { ok: true, exit_code: result.exitCode, stdout: result.stdout, stderr: result.stderr, error: null, time_ms: result.timeMs };
  } catch (error) {
    if (error instanceof OptionError) return error.message;
    if (!(error instanceof ExecError)) throw error;
    return {
      ok: false, exit_code: error.stage?.exitCode ?? null, stdout: error.stdout, stderr: error.stderr,
      error: { tag: error.tag, message: error.message }, time_ms: null,
    };
  }
}

/** The tool result: labelled text blocks for the model, the same facts as structured content for programs. */
export function runAnswer(outcome: RunOutput | string) {
  if (typeof outcome === 'string') return { isError: true, content: [{ type: 'text' as const, text: `invalid input: ${outcome}` }] };
  const lines = [
    outcome.error ? `error: ${outcome.error.tag}: ${outcome.error.message}` : null,
    `exit code: ${outcome.exit_code ?? 'none'}`,
    block('stdout', outcome.stdout),
    block('stderr', outcome.stderr),
  ].filter((line) => line !== null);
  return {
    // A failed or non-zero run is flagged, so an agent notices it without parsing the text.
    isError: !outcome.ok || outcome.exit_code !== 0,
    content: [{ type: 'text' as const, text: lines.join('\n') }],
    structuredContent: outcome,
  };
}
