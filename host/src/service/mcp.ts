// `golem-exec mcp`: a Model Context Protocol server over stdio (the official TypeScript SDK) with one run tool per
// language, and session tools (mcp-sessions.ts). Each run tool call is a fresh stateless run; the answer is plain text an agent reads at a glance (exit code, error,
// stdout, stderr in labelled blocks) plus the same facts as structured content. stdout belongs to the protocol, so
// nothing else may be printed there.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LIMITS, MEMORY_RANGE, memoryClass, type EffectiveLimits } from '../api/limits.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { ExecError, Executor, OptionError } from '../index.js';
import { LANGUAGE_NAMES, type LanguageName } from '../api/languages.js';
import { registerSessionTools } from './mcp-sessions.js';
import { block } from './mcp-text.js';

export interface McpOptions {
  /** Run limits when a call gives none. */
  defaults?: Partial<EffectiveLimits>;
}

/** The run tools (`run_<name>`), by the language name each runs its `code` as (LANGUAGE_NAMES). */
const TITLES = { python: 'Run Python', javascript: 'Run JavaScript', typescript: 'Run TypeScript' } as const satisfies Partial<Record<LanguageName, string>>;
type ToolLanguage = keyof typeof TITLES;
const DESCRIPTIONS: Record<ToolLanguage, string> = {
  python: 'Run a Python 3.14 program (as `python main.py`) in a WebAssembly sandbox: standard library only (plus a few '
    + 'bundled pure-Python packages), no network, no host files, no subprocesses. Print what you want to see. Returns the '
    + 'exit code, stdout and stderr; an uncaught exception, a syntax error or a timeout is reported as an error with the '
    + 'traceback on stderr.',
  javascript: 'Run a JavaScript program (as `node main.js`; CommonJS or ES modules, Node-style builtins such as fs, path, '
    + 'util) in a WebAssembly sandbox: no network, no host files, no child processes, no npm packages. Print with '
    + 'console.log. Returns the exit code, stdout and stderr; an uncaught exception, a syntax error or a timeout is '
    + 'reported as an error with the stack on stderr.',
  typescript: 'Run a TypeScript program (as `node main.ts` in Node 24: types are stripped, not checked; enums and '
    + 'namespaces work) in a WebAssembly sandbox: no network, no host files, no child processes, no npm packages. Import '
    + 'other files with their .ts extension. Print with console.log. Returns the exit code, stdout and stderr; an '
    + 'uncaught exception, a syntax error or a timeout is reported as an error with the stack on stderr.',
};

function inputShape(language: ToolLanguage) {
  return {
    code: z.string().describe(`The program; saved as ${LANGUAGE_NAMES[language].entry} and run.`),
    stdin: z.string().optional().describe("Text for the program's standard input."),
    files: z.array(z.object({
      name: z.string().min(1).describe('Relative path, e.g. "data.csv" or "lib/util.py".'),
      content: z.string(),
      encoding: z.enum(['utf8', 'base64', 'hex']).optional().describe('How content is encoded (default utf8).'),
    })).optional().describe(`Extra files next to ${LANGUAGE_NAMES[language].entry} (modules it imports, data it reads).`),
    args: z.array(z.string()).optional().describe('Command-line arguments.'),
    env: z.record(z.string(), z.string()).optional().describe('Environment variables (nothing else is set).'),
    timeout_ms: z.number().int().positive().optional().describe(`Time limit in milliseconds (default ${LIMITS.timeMs.default}).`),
    memory_mb: z.number().int().min(MEMORY_RANGE.min / 2 ** 20).max(MEMORY_RANGE.max / 2 ** 20).optional().describe(`Memory limit in MiB (default ${LIMITS.memoryBytes.default / 2 ** 20}), rounded up to a power of two.`),
  };
}

const outputShape = {
  ok: z.boolean().describe('true when the program ran to its end (exit code may still be non-zero)'),
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  error: z.object({ tag: z.string(), message: z.string() }).nullable()
    .describe('compilation-failed, runtime-failed, timeout, resource-exceeded or internal; null when ok'),
  time_ms: z.number().nullable(),
};

type Input = z.infer<z.ZodObject<ReturnType<typeof inputShape>>>;
type Output = { ok: boolean; exit_code: number | null; stdout: string; stderr: string; error: { tag: string; message: string } | null; time_ms: number | null };

/** The server, and what closes the sessions its client opened (call it when the connection ends). */
export function createMcpServer(executor: Executor, version: string): McpServer & { closeSessions(): Promise<void> } {
  const server = new McpServer({ name: 'golem-exec', version });
  for (const language of Object.keys(TITLES) as ToolLanguage[]) {
    server.registerTool(`run_${language}`, {
      title: TITLES[language],
      description: DESCRIPTIONS[language],
      inputSchema: inputShape(language),
      outputSchema: outputShape,
      annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
    }, async (input: Input) => answer(await runTool(executor, language, input)));
  }
  const sessions = registerSessionTools(server, executor);
  return Object.assign(server, { closeSessions: () => sessions.close() });
}

async function runTool(executor: Executor, language: ToolLanguage, input: Input): Promise<Output | string> {
  const entry = LANGUAGE_NAMES[language].entry;
  if (input.files?.some((file) => file.name === entry)) return `files: "${entry}" is the program itself (given as code); rename the extra file`;
  try {
    const result = await executor.run({
      language,
      files: [{ name: entry, content: input.code }, ...(input.files ?? [])],
      entry,
      stdin: input.stdin,
      args: input.args,
      env: input.env,
      limits: {
        ...(input.timeout_ms === undefined ? {} : { timeMs: input.timeout_ms }),
        // Rounded to its memory class like the HTTP service's runs: each distinct cap would start a pool of its own.
        ...(input.memory_mb === undefined ? {} : { memoryBytes: memoryClass(input.memory_mb * 2 ** 20) }),
      },
    });
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
function answer(outcome: Output | string) {
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

/** Serves MCP on this process's stdin/stdout until the client closes the connection. */
export async function serveMcp(options: McpOptions = {}): Promise<void> {
  const executor = new Executor({ defaults: options.defaults });
  const server = createMcpServer(executor, executor.info().version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => undefined);
  await server.closeSessions();
  await executor.close();
}
