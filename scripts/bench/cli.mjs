// One CLI call (issue 16): `golem-exec run hello.<ext>` — the package's bin, a new process that starts the library,
// runs the file and exits — against `node -e 'console.log(1)'`, the floor of any Node command. Wall time from spawn
// to exit, the calls of the three commands interleaved so they share the machine's load.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../paths.mjs';
import { measureSpawn } from './proc.mjs';
import { summary } from './stats.mjs';
import { HELLO } from './workloads.mjs';

const BIN = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['golem-exec']);
const FILES = { python: 'hello.py', javascript: 'hello.js' };

async function wallMs(args, expected) {
  const { stdout, exitMs } = await measureSpawn(process.execPath, args, { cwd: ROOT });
  if (stdout !== expected) throw new Error(`node ${args.join(' ')} printed ${JSON.stringify(stdout)}`);
  return exitMs;
}

/** `runs` calls of each: { python, javascript, nodeE } as latency summaries (ms). */
export async function cliHello(runs) {
  const dir = mkdtempSync(join(tmpdir(), 'golem-exec-bench-cli-'));
  try {
    for (const [language, file] of Object.entries(FILES)) writeFileSync(join(dir, file), `${HELLO[language]}\n`);
    const samples = { python: [], javascript: [], nodeE: [] };
    for (let i = 0; i < runs; i++) {
      samples.nodeE.push(await wallMs(['-e', 'console.log(1)'], '1\n'));
      for (const [language, file] of Object.entries(FILES)) samples[language].push(await wallMs([BIN, 'run', join(dir, file)], 'hello\n'));
    }
    return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, summary(values)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
