// Spawning measured processes: wall time from spawn to a marker on stdout, and the JSON line a child prints.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CHILD = join(HERE, 'child.mjs');
/** GNU time reports a process's peak RSS (`%M`, KiB) for subprocess peers that cannot report their own. */
export const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command; resolves with its output, exit code and `markMs`: ms from spawn until stdout first contained
 * `marker` (or until exit without a marker). Rejects on a non-zero exit or after `timeoutMs`.
 */
export function measureSpawn(command, args, { marker, timeoutMs = 300_000, input, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markMs;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.slice(0, 3).join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (markMs === undefined && marker && stdout.includes(marker)) markMs = performance.now() - started;
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const exitMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ stdout, stderr, code, markMs: markMs ?? exitMs, exitMs });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** What a process printed as JSON: its whole output if that parses, else its last JSON line. */
export function lastJson(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    // Not one JSON document: fall through to the last line that is one.
  }
  const line = stdout.trim().split('\n').reverse().find((text) => text.startsWith('{'));
  if (!line) throw new Error(`no JSON in output: ${stdout.slice(-500)}`);
  return JSON.parse(line);
}

/** Runs one bench child (child.mjs) and returns its JSON line. */
export async function runChild(mode, subject, args = [], options = {}) {
  const result = await measureSpawn(process.execPath, [CHILD, mode, subject, ...args.map(String)], { marker: 'FIRST', ...options });
  return { ...lastJson(result.stdout), markMs: result.markMs };
}

/**
 * Starts `count` children of `throughput` mode, waits until all are warm, releases them together and returns
 * runs/s over the window from the first start to the last end.
 */
export async function parallelThroughput(subject, count, runsEach) {
  const children = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [CHILD, 'throughput', subject, String(runsEach)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const ready = new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => { stdout += chunk; if (stdout.includes('ready')) resolve(); });
      child.on('close', (code) => reject(new Error(`${subject} throughput child exited ${code}: ${stderr.slice(-1000)}`)));
    });
    const done = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(lastJson(stdout)) : reject(new Error(stderr.slice(-1000))))));
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    ready.catch(() => undefined);
    children.push({ child, ready, done });
  }
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.write('go\n');
  const reports = await Promise.all(children.map((c) => c.done));
  const start = Math.min(...reports.map((r) => r.startedAt));
  const end = Math.max(...reports.map((r) => r.endedAt));
  const runs = reports.reduce((sum, r) => sum + r.runs, 0);
  return { runs, seconds: (end - start) / 1000, perSecond: runs / ((end - start) / 1000), processes: count };
}
