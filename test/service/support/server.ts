// Starts `golem-exec serve` as a real subprocess on a loopback port and talks to it over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { WASM_NODE_FLAGS } from '../../../scripts/node-flags.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = `${ROOT}build/host/cli/main.js`;
const FALLBACK = fileURLToPath(new URL('./cli.mjs', import.meta.url));

/** How to run the CLI: the real entry point once it is built, else the stand-in. */
export function cliCommand(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [...WASM_NODE_FLAGS, existsSync(MAIN) ? MAIN : FALLBACK, ...args] };
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** Sends `signal` and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const { command, args: argv } = cliCommand(['serve', '--port', '0', ...args]);
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${errors}`)));
  });
  return {
    url,
    child,
    stderr: () => errors,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A small client for the tests: JSON in, status + parsed body out. */
export function client(base: string, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });
  async function call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: headers(extra) };
    if (body instanceof Uint8Array || typeof body === 'string') {
      init.body = body as any;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(base + path, init);
    const type = response.headers.get('content-type') ?? '';
    const raw = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    return { status: response.status, headers: response.headers, raw, text, body: type.startsWith('application/json') && text ? JSON.parse(text) : undefined as any };
  }
  return {
    get: (path: string, extra?: Record<string, string>) => call('GET', path, undefined, extra),
    post: (path: string, body?: unknown, extra?: Record<string, string>) => call('POST', path, body, extra),
    put: (path: string, body?: unknown, extra?: Record<string, string>) => call('PUT', path, body, extra),
    delete: (path: string) => call('DELETE', path),
    async session(language: 'python' | 'javascript'): Promise<string> {
      const created = await call('POST', '/v1/sessions', { language });
      if (created.status !== 201) throw new Error(`session not created: ${created.status} ${created.text}`);
      return created.body.id;
    },
  };
}

/** The events of an NDJSON stream. */
export function ndjson(text: string): any[] {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The events of a Server-Sent Events stream as {event, data}. */
export function sse(text: string): { event: string; data: any }[] {
  return text.split('\n\n').filter((block) => block.trim()).map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
    const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
    return { event, data: JSON.parse(data) };
  });
}

/** The two bearer tokens of `startTwoTokenServer`: an attacker's and a victim's. */
export const ATTACKER = 'token-of-the-attacker';
export const VICTIM = 'token-of-the-victim';

/**
 * `golem-exec serve` with two bearer tokens and `--concurrency 1` (one warm sandbox per language, shared by both tokens'
 * stateless runs), and a client for each token.
 */
export async function startTwoTokenServer() {
  const server = await startServer(['--concurrency', '1', '--idle-timeout', '0'], { GOLEM_EXEC_TOKEN: `${ATTACKER},${VICTIM}` });
  return { server, attacker: client(server.url, ATTACKER), victim: client(server.url, VICTIM) };
}

/** Call at the top of a test file: a function that starts `startTwoTokenServer`, stopped again after each test. */
export function twoTokenServerPerTest(): () => ReturnType<typeof startTwoTokenServer> {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  return async () => {
    const started = await startTwoTokenServer();
    server = started.server;
    return started;
  };
}
