// `golem-exec serve` (the HTTP service) and `golem-exec mcp` (an MCP server over stdio), registered on the CLI's
// commander program. Option values are checked by commander argument parsers (a bad value is one line, exit 2).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { configuredTokens, TokenConfigError } from '../service/auth.js';
import { OptionError } from '../index.js';
import { UsageError } from './run-command.js';
import { count, duration, durationOrNever, port, size } from './units.js';

interface ServeFlags {
  port: number;
  host: string;
  dataDir?: string;
  token?: string[];
  idleTimeout: number;
  concurrency?: number;
  maxQueue: number;
  maxSessions: number;
  maxLiveSessions?: number;
  bodyLimit: number;
  timeout?: number;
  memory?: number;
  maxTimeout?: number;
  maxMemory?: number;
  log?: boolean;
}

function collect(value: string, previous: string[] = []) {
  return [...previous, value];
}

export function registerServiceCommands(program: Command): void {
  program.command('serve')
    .description('serve the HTTP API (runs, streamed runs, durable sessions); OpenAPI document at /openapi.json')
    .option('--port <port>', 'TCP port (0: any free port; the bound one is printed)', port, 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where sessions are kept; they survive restarts (default: a temporary directory, removed on exit)')
    .option('--token <token>', 'require "Authorization: Bearer <token>" (repeatable; default: $GOLEM_EXEC_TOKEN, comma-separated)', collect)
    .addOption(new Option('--idle-timeout <duration>', 'delete sessions unused for this long (0: never)').argParser(durationOrNever).default(30 * 60_000, '30m'))
    .option('--concurrency <n>', 'sandbox calls running at once (default: the number of cores)', count)
    .option('--max-queue <n>', 'requests waiting for a slot before answering 503', count, 256)
    .option('--max-sessions <n>', 'sessions kept at most', count, 1000)
    .option('--max-live-sessions <n>', 'sessions with a running sandbox; idle ones beyond are stopped, files kept (default: 4 x cores)', count)
    .addOption(new Option('--body-limit <size>', 'largest request body (413 beyond)').argParser(size).default(16 * 2 ** 20, '16M'))
    .option('--timeout <duration>', 'default time limit of a run (default 5s)', duration)
    .option('--memory <size>', 'default memory limit of a sandbox (default 256M)', size)
    .option('--max-timeout <duration>', 'the most time a request may ask for (400 beyond; default 60s, or --timeout if higher)', duration)
    .option('--max-memory <size>', 'the most memory a request may ask for (400 beyond; default 1G, or --memory if higher)', size)
    .option('--log', 'log each request as a JSON line on stderr')
    .addHelpText('after', `
Endpoints: POST /v1/run, POST /v1/run/stream (NDJSON, or SSE with Accept: text/event-stream),
POST /v1/sessions, PUT|GET /v1/sessions/{id}/files/{path}, GET /v1/sessions/{id}/files?dir=,
POST /v1/sessions/{id}/run[/stream], DELETE /v1/sessions/{id}, GET /health, /info, /openapi.json.
Prints "golem-exec listening on http://HOST:PORT" on stdout once it accepts connections.`)
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });

  program.command('mcp')
    .description('serve the Model Context Protocol over stdio: tools run_python and run_javascript')
    .option('--timeout <duration>', 'default time limit of a run (default 5s)', duration)
    .option('--memory <size>', 'default memory limit of a sandbox (default 256M)', size)
    .addHelpText('after', `
Example client configuration (Claude Desktop, VS Code, ...):
  { "command": "golem-exec", "args": ["mcp"] }`)
    .action(async (flags: { timeout?: number; memory?: number }) => {
      // Loaded here, not with the CLI: the MCP SDK and fastify cost ~400 ms each to import, which every other command
      // (a one-shot `run`) would pay.
      const { serveMcp } = await import('../service/mcp.js');
      await serveMcp({ defaults: { timeMs: flags.timeout, memoryBytes: flags.memory } });
    });
}

async function serve(flags: ServeFlags) {
  let tokens: string[];
  try {
    tokens = configuredTokens(flags.token, process.env.GOLEM_EXEC_TOKEN);
  } catch (error) {
    if (error instanceof TokenConfigError) throw new UsageError(error.message);
    throw error;
  }
  const temporary = flags.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'golem-exec-data-'));
  const dataDir = flags.dataDir ? resolve(flags.dataDir) : temporary!;
  const { createService } = await import('../service/server.js');
  const service = await createService({
    dataDir, tokens, idleTimeoutMs: flags.idleTimeout, concurrency: flags.concurrency, maxQueue: flags.maxQueue,
    maxSessions: flags.maxSessions, maxLiveSessions: flags.maxLiveSessions, bodyLimitBytes: flags.bodyLimit,
    defaults: { timeMs: flags.timeout, memoryBytes: flags.memory }, maxLimits: { timeMs: flags.maxTimeout, memoryBytes: flags.maxMemory },
    log: flags.log,
  }).catch((error) => {
    if (error instanceof OptionError) throw new UsageError(error.message.replace(/maxLimits\.timeMs/, '--max-timeout').replace(/maxLimits\.memoryBytes/, '--max-memory'));
    throw error;
  });
  const address = await service.listen(flags.port, flags.host);
  const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
  process.stdout.write(`golem-exec listening on http://${shown}:${address.port}\n`);
  process.stderr.write(`golem-exec: sessions in ${dataDir}${temporary ? ' (temporary: use --data-dir to keep them)' : ''}; `
    + `${tokens.length ? `${tokens.length} bearer token(s)` : 'no token: anyone who can connect may use it'}\n`);

  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await service.close();
  if (temporary) await rm(temporary, { recursive: true, force: true });
}
