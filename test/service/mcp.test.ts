// `golem-exec mcp` driven by the MCP SDK's own client over stdio (a real subprocess, real components).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cliCommand } from './support/server.js';

let mcp: Client;
let transport: StdioClientTransport;

beforeAll(async () => {
  const { command, args } = cliCommand(['mcp']);
  transport = new StdioClientTransport({ command, args, stderr: 'pipe' });
  mcp = new Client({ name: 'golem-exec-test', version: '1.0.0' });
  await mcp.connect(transport);
});

afterAll(async () => {
  await mcp?.close();
});

function text(result: any): string {
  return result.content.map((part: any) => part.text).join('');
}

describe('MCP server', () => {
  test('lists a run tool per language and the session tools, with input and output schemas', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'run_javascript', 'run_python', 'run_typescript', 'session_close', 'session_create', 'session_delete_file', 'session_download', 'session_eval', 'session_list_files', 'session_upload',
    ]);
    for (const tool of tools.filter((t) => t.name.startsWith('session_'))) {
      expect(tool.outputSchema?.properties, tool.name).toBeTruthy();
      if (tool.name !== 'session_create') expect(tool.inputSchema.required, tool.name).toContain('session_id');
    }
    for (const tool of tools.filter((t) => t.name.startsWith('run_'))) {
      expect(tool.description).toMatch(/sandbox/);
      expect(tool.inputSchema.required).toEqual(['code']);
      expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['code', 'stdin', 'files', 'timeout_ms', 'memory_mb']));
      expect(Object.keys(tool.outputSchema?.properties ?? {})).toEqual(expect.arrayContaining(['stdout', 'stderr', 'exit_code', 'error']));
    }
  });

  test('run_typescript runs its code as main.ts; session_create takes ts', async () => {
    const result: any = await mcp.callTool({ name: 'run_typescript', arguments: { code: 'import { twice } from "./lib.ts";\nconst n: number = twice(21);\nconsole.log(n);', files: [{ name: 'lib.ts', content: 'export const twice = (n: number): number => n * 2;' }] } });
    expect(result.structuredContent).toMatchObject({ ok: true, exit_code: 0, stdout: '42\n' });
    const created: any = await mcp.callTool({ name: 'session_create', arguments: { language: 'ts' } });
    expect(created.structuredContent).toMatchObject({ language: 'javascript' });
    await mcp.callTool({ name: 'session_close', arguments: { session_id: created.structuredContent.session_id } });
  });

  test('run_python with stdin and an extra file', async () => {
    const result: any = await mcp.callTool({
      name: 'run_python',
      arguments: { code: 'import helper, sys\nprint(helper.twice(sys.stdin.read().strip()))', stdin: 'ab\n', files: [{ name: 'helper.py', content: 'def twice(s):\n    return s * 2' }] },
    });
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toEqual({ ok: true, exit_code: 0, stdout: 'abab\n', stderr: '', error: null, time_ms: expect.any(Number) });
    expect(text(result)).toBe('exit code: 0\n<stdout>\nabab\n</stdout>\nstderr: (empty)');
  });

  test('run_javascript: a non-zero exit and an exception are flagged, with the output', async () => {
    const exit: any = await mcp.callTool({ name: 'run_javascript', arguments: { code: 'console.error("bad"); process.exit(4)' } });
    expect(exit.isError).toBe(true);
    expect(exit.structuredContent).toMatchObject({ ok: true, exit_code: 4, stderr: 'bad\n', error: null });

    const thrown: any = await mcp.callTool({ name: 'run_javascript', arguments: { code: 'console.log("so far"); JSON.parse("{")' } });
    expect(thrown.isError).toBe(true);
    expect(thrown.structuredContent).toMatchObject({ ok: false, stdout: 'so far\n', error: { tag: 'runtime-failed' } });
    expect(text(thrown)).toMatch(/^error: runtime-failed: .*\nexit code: 1\n<stdout>\nso far\n<\/stdout>\n<stderr>\nSyntaxError/);
  });

  test('a timeout is reported as such, with what the program printed before it', async () => {
    const result: any = await mcp.callTool({ name: 'run_javascript', arguments: { code: 'console.log("before"); for (;;) {}', timeout_ms: 500 } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ ok: false, stdout: 'before\n', error: { tag: 'timeout' } });
    expect(text(result)).toContain('<stdout>\nbefore\n</stdout>');
    const python: any = await mcp.callTool({ name: 'run_python', arguments: { code: 'print("before")\nwhile True: pass', timeout_ms: 500 } });
    expect(python.structuredContent).toMatchObject({ ok: false, stdout: 'before\n', error: { tag: 'timeout' } });
  });

  test('invalid input is a tool error naming the problem', async () => {
    const clash: any = await mcp.callTool({ name: 'run_python', arguments: { code: 'print(1)', files: [{ name: 'main.py', content: '' }] } });
    expect(clash.isError).toBe(true);
    expect(text(clash)).toMatch(/main\.py/);
    const badType: any = await mcp.callTool({ name: 'run_python', arguments: { code: 42 } });
    expect(badType.isError).toBe(true);
    expect(text(badType)).toMatch(/code/);
  });
});

describe('MCP session tools', () => {
  const call = (name: string, args: Record<string, unknown>) => mcp.callTool({ name, arguments: args }) as Promise<any>;

  test('the transcript: create, upload a CSV, evaluate with state, write and download a file, close', async () => {
    const created = await call('session_create', { language: 'python' });
    expect(created.isError).toBeFalsy();
    const id = created.structuredContent.session_id;
    expect(id).toEqual(expect.any(String));
    expect((await call('session_upload', { session_id: id, name: 'd.csv', content: 'a,b\n1,2\n3,4\n' })).isError).toBeFalsy();
    const load = await call('session_eval', { session_id: id, code: 'import csv; rows = list(csv.reader(open("d.csv")))' });
    expect(load.structuredContent).toMatchObject({ ok: true, value: null, stdout: '', stderr: '', state_reset: false, error: null });
    const count = await call('session_eval', { session_id: id, code: 'len(rows)' });
    expect(count.isError).toBe(false);
    expect(count.structuredContent).toMatchObject({ ok: true, value: '3' });
    expect(text(count)).toContain('value: 3');
    await call('session_eval', { session_id: id, code: 'open("out/summary.txt", "w").write(f"{len(rows)} rows")' }).then((r) => {
      // No such directory yet: the error line is in the answer, and the state is kept.
      expect(r.isError).toBe(true);
      expect(r.structuredContent.stderr).toContain('FileNotFoundError');
      expect(r.structuredContent.error.message).toMatch(/^the program failed: FileNotFoundError: \[Errno 44\] No such file or directory/);
    });
    const written = await call('session_eval', { session_id: id, code: 'import os; os.makedirs("out"); open("out/summary.txt", "w").write(f"{len(rows)} rows")' });
    expect(written.structuredContent).toMatchObject({ ok: true, value: '6' });
    expect((await call('session_list_files', { session_id: id })).structuredContent.files).toEqual(['d.csv', 'out/summary.txt']);
    const downloaded = await call('session_download', { session_id: id, path: 'out/summary.txt' });
    expect(downloaded.structuredContent).toEqual({ path: 'out/summary.txt', bytes: 6, encoding: 'utf8', content: '3 rows' });
    expect(text(downloaded)).toBe('3 rows');
    const deleted = await call('session_delete_file', { session_id: id, path: 'd.csv' });
    expect(deleted.structuredContent).toEqual({ deleted: 'd.csv' });
    expect((await call('session_list_files', { session_id: id })).structuredContent.files).toEqual(['out/summary.txt']);
    const again = await call('session_delete_file', { session_id: id, path: 'd.csv' });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/d\.csv/);
    expect((await call('session_close', { session_id: id })).structuredContent).toEqual({ closed: true });
    const after = await call('session_eval', { session_id: id, code: '1' });
    expect(after.isError).toBe(true);
    expect(text(after)).toMatch(/no open session/);
  });

  test('a PNG a program wrote comes back as image content', async () => {
    const id = (await call('session_create', { language: 'javascript' })).structuredContent.session_id;
    // The 8-byte PNG signature and an IHDR chunk: enough for a client to see an image.
    const png = '89504e470d0a1a0a0000000d4948445200000001000000010806000000';
    await call('session_eval', { session_id: id, code: `require("fs").writeFileSync("plot.png", Buffer.from("${png}", "hex"))` });
    const image = await call('session_download', { session_id: id, path: 'plot.png' });
    expect(image.content).toEqual([{ type: 'image', mimeType: 'image/png', data: Buffer.from(png, 'hex').toString('base64') }]);
    await call('session_close', { session_id: id });
  });

  test('two sessions do not share REPL state; a timeout resets it and says so', async () => {
    const a = (await call('session_create', { language: 'javascript' })).structuredContent.session_id;
    const b = (await call('session_create', { language: 'javascript' })).structuredContent.session_id;
    await call('session_eval', { session_id: a, code: 'var secret = "a"' });
    const other = await call('session_eval', { session_id: b, code: 'typeof secret' });
    expect(other.structuredContent.value).toBe("'undefined'");
    const stopped = await call('session_eval', { session_id: a, code: 'console.log("before"); while (true) {}', timeout_ms: 500 });
    expect(stopped.structuredContent).toMatchObject({ ok: false, stdout: 'before\n', error: { tag: 'timeout' } });
    const next = await call('session_eval', { session_id: a, code: 'typeof secret' });
    expect(next.structuredContent).toMatchObject({ ok: true, value: "'undefined'", state_reset: true });
    expect(text(next)).toContain('state was reset');
    await call('session_close', { session_id: a });
    await call('session_close', { session_id: b });
  });
});

/** The resident set of process `pid`, bytes (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

describe('memory_mb under a hostile client (issue 14)', () => {
  test('is rounded up to its memory class like the HTTP service: 65 MiB gives a 128 MiB sandbox', async () => {
    // 80 MiB more than a 65 MiB cap holds; within the 128 MiB class it fits.
    const result: any = await mcp.callTool({ name: 'run_python', arguments: { code: 'b = bytearray(80 * 2**20)\nprint(len(b) >> 20)', memory_mb: 65 } });
    expect(result.structuredContent).toMatchObject({ ok: true, stdout: '80\n' });
  });

  test('distinct values do not start a pool each: 14 values in one class leave the server about as large as one', async () => {
    const run = (memory_mb: number) => mcp.callTool({ name: 'run_python', arguments: { code: 'print(1)', memory_mb } });
    await run(65);
    const before = rssOf(transport.pid!);
    for (let mb = 66; mb <= 79; mb++) expect(((await run(mb)) as any).structuredContent).toMatchObject({ ok: true });
    // A pool per value started a sandbox thread with its own instance each (~70 MB apiece: 227 MB → 1.21 GB after 14).
    expect(rssOf(transport.pid!) - before).toBeLessThan(150 * 2 ** 20);
  });
});
