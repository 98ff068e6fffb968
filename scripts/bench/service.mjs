// `golem-exec serve` as a subprocess for the service benchmarks (load.mjs, hostile-load.mjs): its command, start-up
// (resolves once it listens), and its resident memory.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WASM_NODE_FLAGS } from '../node-flags.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function serverCommand(args) {
  const main = join(ROOT, 'build/host/cli/main.js');
  if (existsSync(main)) return [...WASM_NODE_FLAGS, main, ...args];
  if (!existsSync(join(ROOT, 'build/host/cli/service-commands.js'))) throw new Error('the host is not built: run `npm run build` first');
  const inline = `import { Command } from 'commander'; import { registerServiceCommands } from './build/host/cli/service-commands.js';
const p = new Command('golem-exec'); registerServiceCommands(p); await p.parseAsync(process.argv.slice(1), { from: 'user' });`;
  return [...WASM_NODE_FLAGS, '--input-type=module', '-e', inline, ...args];
}

/** Starts `golem-exec serve --port 0 --data-dir DIR ...extra`; resolves with the child and its URL. */
export async function startServer(dataDir, extra = []) {
  const child = spawn(process.execPath, serverCommand(['serve', '--port', '0', '--data-dir', dataDir, ...extra]), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  return { child, url };
}

/** The resident set of process `pid` (Linux /proc), bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** CPU time process `pid` has used (user + system), in clock ticks. */
export function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export const mib = (bytes) => Math.round(bytes / 2 ** 20);
