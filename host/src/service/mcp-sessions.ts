// The MCP server's session tools: a session (its files, its REPL state) per `session_create`, kept for the life of the
// connection (an MCP server over stdio has one client, so the sessions are that client's alone) and closed with it.
// Each answer is text for the model plus the same facts as structured content, as for the run tools (mcp.ts).
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { LIMITS, MEMORY_RANGE } from '../api/limits.js';
import { block } from './mcp-text.js';
import { ExecError, OptionError, type Executor, type Session } from '../index.js';
import { LANGUAGE_NAME_LIST, type LanguageName } from '../api/languages.js';

/** Downloaded files that come back as MCP image content (the MCP spec's base64 image with its MIME type). */
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

const sessionId = z.string().describe('The id session_create returned.');
const timeoutMs = z.number().int().positive().optional().describe(`Time limit in milliseconds (default ${LIMITS.timeMs.default}).`);

type Content = { type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string };
type ToolAnswer = { isError?: boolean; content: Content[]; structuredContent?: Record<string, unknown> };

/** A failure the caller can act on (bad input, an unknown session, a sandbox error) as an MCP error answer. */
function failure(error: unknown): ToolAnswer {
  if (error instanceof OptionError || error instanceof ExecError || error instanceof UnknownSession) {
    const tag = error instanceof ExecError ? `${error.tag}: ` : '';
    return { isError: true, content: [{ type: 'text', text: `error: ${tag}${error.message}` }] };
  }
  throw error;
}

class UnknownSession extends Error {}

export function registerSessionTools(server: McpServer, executor: Executor): { close(): Promise<void> } {
  const sessions = new Map<string, Session>();
  const get = (id: string) => {
    const session = sessions.get(id);
    if (!session) throw new UnknownSession(`no open session ${JSON.stringify(id)} (session_create returns the id; session_close ends it)`);
    return session;
  };
  const tool = <S extends z.ZodRawShape>(name: string, config: { title: string; description: string; inputSchema: S; outputSchema: z.ZodRawShape; annotations?: object },
    run: (input: z.infer<z.ZodObject<S>>) => Promise<ToolAnswer>) => {
    server.registerTool(name, config, (async (input: z.infer<z.ZodObject<S>>) => run(input).catch(failure)) as never);
  };

  tool('session_create', {
    title: 'Create a session',
    description: 'Create a sandboxed session (Python 3.14 or JavaScript) with its own files and a persistent interpreter: '
      + 'session_eval runs code against it like a REPL (variables stay defined between calls), session_upload and '
      + 'session_download move files in and out. No network, no host files. Returns session_id; end it with session_close.',
    inputSchema: {
      language: z.enum(LANGUAGE_NAME_LIST as [LanguageName, ...LanguageName[]]).describe('TypeScript (typescript, ts) runs in a JavaScript session: session_run a .ts file.'),
      memory_mb: z.number().int().min(MEMORY_RANGE.min / 2 ** 20).max(MEMORY_RANGE.max / 2 ** 20).optional().describe('Memory limit in MiB (default 256).'),
    },
    outputSchema: { session_id: z.string(), language: z.string() },
  }, async ({ language, memory_mb }) => {
    const session = await executor.session({ language, ...(memory_mb === undefined ? {} : { limits: { memoryBytes: memory_mb * 2 ** 20 } }) });
    const id = randomUUID();
    sessions.set(id, session);
    return { content: [{ type: 'text', text: `session_id: ${id} (${session.language})` }], structuredContent: { session_id: id, language: session.language } };
  });

  tool('session_eval', {
    title: 'Evaluate code in a session',
    description: "Evaluate code against the session's interpreter state, as its REPL would: names defined by earlier calls "
      + "are visible; the value of a final expression is returned (Python repr(), JavaScript as Node's REPL shows it). The "
      + "working directory holds the session's files. An exception is reported as an error with the traceback on stderr (what "
      + 'ran before it stays defined); a timeout or memory stop discards the state (files remain) and the next result says state_reset.',
    inputSchema: { session_id: sessionId, code: z.string().describe('Source code; its last expression is the value.'), timeout_ms: timeoutMs },
    outputSchema: {
      ok: z.boolean(), value: z.string().nullable(), stdout: z.string(), stderr: z.string(), state_reset: z.boolean(),
      error: z.object({ tag: z.string(), message: z.string() }).nullable(), time_ms: z.number().nullable(),
    },
  }, async ({ session_id, code, timeout_ms }) => {
    const session = get(session_id);
    let outcome;
    try {
      const result = await session.eval(code, timeout_ms === undefined ? {} : { limits: { timeMs: timeout_ms } });
      outcome = { ok: true, value: result.value, stdout: result.stdout, stderr: result.stderr, state_reset: result.stateReset, error: null, time_ms: result.timeMs };
    } catch (error) {
      if (!(error instanceof ExecError) || error.tag === 'internal') throw error;
      outcome = { ok: false, value: null, stdout: error.stdout, stderr: error.stderr, state_reset: error.stateReset === true, error: { tag: error.tag, message: error.message }, time_ms: null };
    }
    const lines = [
      outcome.error ? `error: ${outcome.error.tag}: ${outcome.error.message}` : null,
      outcome.state_reset ? 'note: the interpreter state was reset (an earlier evaluation was stopped); names defined before are gone, files remain' : null,
      `value: ${outcome.value ?? '(none)'}`,
      block('stdout', outcome.stdout),
      block('stderr', outcome.stderr),
    ].filter((line) => line !== null);
    return { isError: !outcome.ok, content: [{ type: 'text', text: lines.join('\n') }], structuredContent: outcome };
  });

  tool('session_upload', {
    title: 'Upload a file to a session',
    description: "Write a file into the session's directory (relative path; subdirectories are created).",
    inputSchema: {
      session_id: sessionId,
      name: z.string().min(1).describe('Relative path, e.g. "data.csv".'),
      content: z.string(),
      encoding: z.enum(['utf8', 'base64', 'hex']).optional().describe('How content is encoded (default utf8).'),
    },
    outputSchema: { name: z.string() },
  }, async ({ session_id, name, content, encoding }) => {
    await get(session_id).upload({ name, content, encoding });
    return { content: [{ type: 'text', text: `wrote ${name}` }], structuredContent: { name } };
  });

  tool('session_download', {
    title: 'Download a file from a session',
    description: 'Read a file of the session: an image (png, jpeg, gif, webp) comes back as an image, UTF-8 text as text, anything else as base64.',
    inputSchema: { session_id: sessionId, path: z.string().min(1).describe('Relative path of the file.') },
    outputSchema: { path: z.string(), bytes: z.number(), encoding: z.enum(['utf8', 'base64']), content: z.string() },
    annotations: { readOnlyHint: true },
  }, async ({ session_id, path }) => {
    const bytes = Buffer.from(await get(session_id).download(path));
    const mimeType = IMAGE_TYPES[extname(path).toLowerCase()];
    const text = mimeType ? undefined : utf8(bytes);
    const structured = { path, bytes: bytes.length, encoding: text === undefined ? 'base64' : 'utf8', content: text ?? bytes.toString('base64') };
    if (mimeType) return { content: [{ type: 'image', data: structured.content, mimeType }], structuredContent: structured };
    const body = text === undefined ? `${path}: ${bytes.length} bytes, base64:\n${structured.content}` : text;
    return { content: [{ type: 'text', text: body }], structuredContent: structured };
  });

  tool('session_list_files', {
    title: 'List the files of a session',
    description: 'The files below a directory of the session (default: all), recursively, as sorted relative paths.',
    inputSchema: { session_id: sessionId, dir: z.string().optional().describe('Relative directory (default ".").') },
    outputSchema: { files: z.array(z.string()) },
    annotations: { readOnlyHint: true },
  }, async ({ session_id, dir }) => {
    const files = await get(session_id).listFiles(dir ?? '.');
    return { content: [{ type: 'text', text: files.length ? files.join('\n') : '(no files)' }], structuredContent: { files } };
  });

  tool('session_delete_file', {
    title: 'Delete a file of a session',
    description: 'Delete one file of the session (a path relative to the session; not a directory).',
    inputSchema: { session_id: sessionId, path: z.string().describe('Relative path of the file.') },
    outputSchema: { deleted: z.string() },
    annotations: { destructiveHint: true },
  }, async ({ session_id, path }) => {
    await get(session_id).remove(path);
    return { content: [{ type: 'text', text: `deleted ${path}` }], structuredContent: { deleted: path } };
  });

  tool('session_close', {
    title: 'Close a session',
    description: 'End the session: its files and interpreter state are deleted.',
    inputSchema: { session_id: sessionId },
    outputSchema: { closed: z.boolean() },
  }, async ({ session_id }) => {
    const session = get(session_id);
    sessions.delete(session_id);
    await session.close();
    return { content: [{ type: 'text', text: `closed ${session_id}` }], structuredContent: { closed: true } };
  });

  return {
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.close().catch(() => undefined)));
    },
  };
}

/** The bytes as text if they are valid UTF-8, else undefined. */
function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
